//! Deployment packages: a function run from a .zip, as Lambda runs it from /var/task (being written).
