/* Counts every script error of the page into <html data-js-errors="N"> (and the last message into
   data-js-error-last), so a headless browser's dumped DOM says whether the page worked. */
(function () {
  var d = document.documentElement, n = 0;
  function record(message) {
    n++;
    d.setAttribute('data-js-errors', String(n));
    d.setAttribute('data-js-error-last', String(message).slice(0, 500));
  }
  window.addEventListener('error', function (e) { record(e.message || 'error'); });
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () {
    record([].slice.call(arguments).join(' '));
    if (original) original.apply(console, arguments);
  };
})();
