//! Running an exercise's checks from the CLI (to be written).
