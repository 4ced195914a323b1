/* The flyer's Print button: shown only where this script runs (the page says "use your
   browser's Print" for everyone else). */
(function () {
  "use strict";
  var button = document.getElementById("print-flyer");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
