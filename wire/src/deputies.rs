//! Deputies of maslikhats and their mandates.

use crate::enums::text_enum;

text_enum! {
    /// The maslikhat (local representative body) a deputy sits in.
    pub enum MaslikhatLevel {
        /// The regional (oblast) maslikhat.
        Regional = "regional",
        /// The maslikhat of a city of regional significance.
        City = "city",
        /// A district maslikhat.
        District = "district",
    }
}

text_enum! {
    /// Where a deputy's mandate stands.
    pub enum MandateStatus {
        /// Serving.
        Active = "active",
        /// Suspended, e.g. during an investigation.
        Suspended = "suspended",
        /// Recalled by the voters or the party.
        Recalled = "recalled",
        /// Ended: the term expired or the deputy resigned.
        Ended = "ended",
    }
}
