//! Building the book with mdBook and mdbook-admonish as libraries (to be written).
