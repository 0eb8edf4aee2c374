//! The language the person chose, remembered by the browser: read at start (else the
//! browser's own language) and sent to the core, which words everything in it. The shell has
//! no words of its own; `w!` reads the fixed ones from the view model.

use domain::words::Lang;

const KEY: &str = "rounds.lang";

/// The saved choice, else the browser's language.
pub fn initial() -> Lang {
    let w = web_sys::window();
    let saved = w
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(KEY).ok().flatten());
    let browser = w.and_then(|w| w.navigator().language());
    saved
        .or(browser)
        .map_or(Lang::English, |tag| Lang::from_code(&tag))
}

/// Keeps the choice for the next start and tells the page (fonts, screen readers).
pub fn remember(lang: Lang) {
    let w = web_sys::window();
    if let Some(s) = w.as_ref().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(KEY, lang.code());
    }
    if let Some(html) = w
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.code());
    }
}

/// `w!(frame.sign_in)`: a fixed word from the view model's labels, reactive, for use in views.
#[macro_export]
macro_rules! w {
    ($($path:ident).+) => {{
        let view = $crate::use_view();
        move || view.with(|v| v.labels.$($path).+.text.clone())
    }};
}
