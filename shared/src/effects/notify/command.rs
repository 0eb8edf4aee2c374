use crux_core::{Command, Request};

use super::{Notification, NotifyRequest};

pub fn schedule<Ef, Ev>(notification: Notification) -> Command<Ef, Ev>
where
    Ef: From<Request<NotifyRequest>> + Send + 'static,
    Ev: Send + 'static,
{
    Command::notify_shell(NotifyRequest::Schedule(notification)).into()
}

pub fn cancel<Ef, Ev>(id: String) -> Command<Ef, Ev>
where
    Ef: From<Request<NotifyRequest>> + Send + 'static,
    Ev: Send + 'static,
{
    Command::notify_shell(NotifyRequest::Cancel { id }).into()
}

pub fn cancel_all<Ef, Ev>() -> Command<Ef, Ev>
where
    Ef: From<Request<NotifyRequest>> + Send + 'static,
    Ev: Send + 'static,
{
    Command::notify_shell(NotifyRequest::CancelAll).into()
}
