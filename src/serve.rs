//! A small loopback HTTP server for the built book, with live reload (to be written).
