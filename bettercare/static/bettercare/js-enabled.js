// Loaded at the top of <body>, before anything is drawn: NHS.UK frontend styles some
// components differently when JavaScript runs (and when the browser runs modules). A file,
// not an inline script, because the Content-Security-Policy allows no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
