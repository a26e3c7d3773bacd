//! Newtypes and rules with no I/O: the working-day calendar, IIN, phone numbers, the
//! appeal lifecycle, the span of dates clients may name, where webhooks may send.

pub mod appeal;
pub mod calendar;
pub mod dates;
pub mod destination;
pub mod iin;
pub mod phone;
pub mod reception;
