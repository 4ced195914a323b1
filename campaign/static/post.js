/* The letter on paper (post.html), made live. Where the page came from the letter's page,
   the supporter's letter waits in this tab's sessionStorage (campaign.js put it there): it is
   filled into every sheet here, in the browser, dated in the letter's language by this
   device's day. Nothing is sent anywhere: this script makes no request. It also prints, and
   keeps the sender's lines alike on every sheet as the supporter changes one. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var sheets = Array.prototype.slice.call(document.querySelectorAll(".sheet"));

  var print = $("print-post");
  if (print) print.addEventListener("click", function () { window.print(); });

  /* One sender for every sheet: a change on one is made on all. */
  function senders() { return Array.prototype.slice.call(document.querySelectorAll(".sender-text")); }
  senders().forEach(function (area) {
    area.addEventListener("input", function () {
      senders().forEach(function (other) { if (other !== area) other.value = area.value; });
    });
  });

  var dataNode = $("post-data");
  if (!dataNode) return;  /* the server filled the letter in, or these are blank letters */
  var data = JSON.parse(dataNode.textContent);
  var saved = null;
  try { saved = JSON.parse(window.sessionStorage.getItem(data.key) || "null"); } catch (e) { saved = null; }
  if (!saved || saved.letter !== data.letter || typeof saved.text !== "string") return;

  var language = data.languages[saved.language] ? saved.language : Object.keys(data.languages)[0];
  var known = data.languages[language];
  /* Today as this device counts it (the server gave the days around its own). */
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var date = known.dates[today] || known.dates[Object.keys(known.dates)[1]] || "";

  sheets.forEach(function (sheet) {
    sheet.setAttribute("lang", language);
    sheet.setAttribute("dir", known.direction);
    sheet.querySelector(".letter-text").textContent = saved.text;
    var dated = sheet.querySelector(".date");
    dated.textContent = date;
    dated.setAttribute("translate", "no");
    sheet.querySelector(".letter-text").setAttribute("translate", "no");
    var blank = sheet.querySelector(".sender-blank");
    if (blank) blank.remove();
    sheet.querySelector(".sender-lines").hidden = false;
    sheet.querySelector(".sender-text").value = saved.sender || "";
  });
  var note = $("post-unfilled");
  if (note) note.remove();
  /* Back to the letter's page as the supporter left it (this tab came from there). */
  var back = $("post-back");
  if (back && window.history.length > 1) {
    back.addEventListener("click", function (event) {
      event.preventDefault();
      window.history.back();
    });
  }
})();
