//! Newtypes and rules with no I/O: the working-day calendar, IIN, phone numbers, the
//! appeal lifecycle.

pub mod appeal;
pub mod calendar;
pub mod iin;
pub mod phone;
