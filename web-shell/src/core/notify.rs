//! `Notify`: follow-up reminders. Each scheduled notification is a timer in this page; when
//! it fires, the Notifications API shows it if the person granted permission, else it joins
//! the in-page banner (see `ui::Reminders`). Fire-and-forget, as the capability says.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use shared::effects::notify::{Notification, NotifyRequest};

/// A reminder shown in the page because system notifications are not allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    pub id: String,
    pub title: String,
    pub body: String,
}

thread_local! {
    static TIMERS: RefCell<HashMap<String, Timeout>> = RefCell::new(HashMap::new());
    static BANNER: RwSignal<Vec<Shown>> = RwSignal::new(Vec::new());
}

/// Reminders waiting in the in-page banner.
pub fn banner() -> RwSignal<Vec<Shown>> {
    BANNER.with(|b| *b)
}

pub(super) fn perform(request: &NotifyRequest) {
    match request {
        NotifyRequest::Schedule(n) => schedule(n.clone()),
        NotifyRequest::Cancel { id } => cancel(id),
        NotifyRequest::CancelAll => {
            TIMERS.with_borrow_mut(HashMap::clear);
            banner().set(Vec::new());
        }
    }
}

fn schedule(n: Notification) {
    let wait = n.fire_at_ms - super::time::now_ms() as i64;
    // setTimeout holds at most ~24.8 days; the page is reloaded long before that, and the
    // core schedules again on start.
    let Ok(wait) = u32::try_from(wait.max(0)) else {
        return;
    };
    let id = n.id.clone();
    let timer = Timeout::new(wait, move || {
        TIMERS.with_borrow_mut(|t| t.remove(&n.id));
        show(n);
    });
    TIMERS.with_borrow_mut(|t| t.insert(id, timer));
}

fn cancel(id: &str) {
    TIMERS.with_borrow_mut(|t| t.remove(id));
    banner().update(|b| b.retain(|s| s.id != id));
}

fn show(n: Notification) {
    if web_sys::Notification::permission() == web_sys::NotificationPermission::Granted {
        let options = web_sys::NotificationOptions::new();
        options.set_body(&n.body);
        options.set_tag(&n.id);
        if web_sys::Notification::new_with_options(&n.title, &options).is_ok() {
            return;
        }
    }
    banner().update(|b| {
        b.retain(|s| s.id != n.id);
        b.push(Shown {
            id: n.id,
            title: n.title,
            body: n.body,
        });
    });
}

/// Ask for permission to show system notifications (from a click: browsers require it).
pub fn ask_permission() {
    let _ = web_sys::Notification::request_permission();
}
