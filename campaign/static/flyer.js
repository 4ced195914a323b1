/* The flyer's Print button: shown only where this script runs (the stylesheet shows it where
   start.js ran; the page says "use your browser's Print" for everyone else). */
(function () {
  "use strict";
  var button = document.getElementById("print-flyer");
  if (!button) return;
  button.addEventListener("click", function () { window.print(); });
})();
