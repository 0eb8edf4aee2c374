//! The people of an organization, as far as ops change them. Passwords are not here: an op is
//! queued on a device, synced and audited, so a password never travels inside one (the server
//! sets it through an admin endpoint or the CLI).

use super::records::RecordsExt;
use super::{Ctx, Denied, OpError, Record, RecordKey, Records};
use crate::ids::UserId;

/// Deactivates or reactivates a user. Admins may do it for anyone but themselves; a dispatcher
/// for the people of the stores they run (all of that person's stores, and not an admin),
/// since the person loses access to every store at once.
pub(super) fn set_active<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: UserId,
    active: bool,
) -> Result<Vec<RecordKey>, OpError> {
    let mut user = records.user(id)?;
    if id == ctx.actor.id {
        return Err(OpError::Forbidden(Denied::OwnAccount));
    }
    if !ctx.actor.manages_person(&user) {
        return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
    }
    user.active = active;
    records.put(Record::User(user))?;
    Ok(vec![RecordKey::User(id)])
}
