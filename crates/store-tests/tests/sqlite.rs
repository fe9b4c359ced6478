//! The conformance suite on the embedded SQLite backend.

frontline_store_tests::conformance!(Some(frontline_store_tests::Db::sqlite()));
