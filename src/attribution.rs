//! Speaker attribution: fills [`Segment::speaker`](crate::script::Segment::speaker) for dialogue and thought.

use crate::characters::Roster;
use crate::script::Script;
use crate::story::Story;

/// Gives every dialogue and thought segment a speaker from the roster (or `None`) and a confidence.
pub fn attribute(_story: &Story, _script: &mut Script, _roster: &Roster) {}
