//! An IAM policy evaluator (being written).
