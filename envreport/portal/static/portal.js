// envreport portal: the only script (CSP: script-src 'self', nothing inline).
// While a group report is being built, the admin page reloads itself until it is done.
if (document.querySelector("[data-building]")) {
  window.setTimeout(function () { window.location.reload(); }, 3000);
}
