/* Runs in <head>, before the page is first drawn (not deferred: it is a few lines, and cached
   a year). It says that the page's script will make the page live, so the stylesheet draws
   the page as the script leaves it from the very first paint (class "js": no "Get my letter
   ready", copy buttons shown; "can-share": the Web Share button), and nothing moves when the
   script starts, however late it arrives. Should that script fail to load (a script tag marked
   data-live), the page goes back to the form that works without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  if (navigator.share) root.classList.add("can-share");
  /* A script that cannot load fires "error" at its tag; it does not bubble, but passes
     the window on its way down. */
  window.addEventListener("error", function (event) {
    var tag = event.target;
    if (tag && tag.tagName === "SCRIPT" && tag.hasAttribute("data-live")) {
      root.classList.remove("js", "can-share");
    }
  }, true);
})();
