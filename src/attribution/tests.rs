//! Tests of the attribution rules.
