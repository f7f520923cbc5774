//! The learner's progress, kept in `.lab/progress.json` (to be written).
