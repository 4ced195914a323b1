/* The letter page, made live: the letter and its links are built here, in the browser, from
   the same data and rules as the server (campaign/letters.py, links.py, drafts.py), so a
   supporter's name and city need not leave the device. Without this file the form still
   works: it posts, and the server builds the same letter and links. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  document.documentElement.classList.add("js");

  function copy(text, done, status) {
    status = status || $("copied");
    var say = function (ok) { status.textContent = ok ? done : "Copying did not work here: select the text and copy it."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say(true); }, function () { say(false); });
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    say(ok);
  }

  /* Copy buttons and the Web Share button: on the letter page and the thank-you page. */
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = button.closest("section").querySelector("[data-copied]") || $("copied");
      copy($(button.getAttribute("data-copy")).value, button.textContent.replace("Copy", "Copied") + ".", status);
      if (button.getAttribute("data-copy") === "copy-body") count("copy");
    });
  });
  var webShare = $("share-webshare");
  if (webShare && navigator.share) {
    webShare.hidden = false;
    webShare.addEventListener("click", function () {
      navigator.share({ title: webShare.getAttribute("data-share-title"),
                        text: webShare.getAttribute("data-share-text"),
                        url: webShare.getAttribute("data-share-url") }).catch(function () {});
    });
  }

  var form = $("letter-form");
  var dataNode = $("campaign-data");

  /* Count a send (once per page: the token is kept across reloads of this tab) or an
     "I sent it". Only the letter, place, channel and share source are sent: never the letter. */
  var token = null;
  if (form) {
    token = form.elements.count_token.value;
    try {
      var key = "campaign-token:" + form.getAttribute("action");
      token = sessionStorage.getItem(key) || token;
      sessionStorage.setItem(key, token);
    } catch (e) { /* storage may be off: the page's own token still counts once */ }
  }
  function count(channel, kind) {
    if (!form || !token) return Promise.resolve(null);
    var body = new URLSearchParams({
      token: token, kind: kind || "action", channel: channel || "",
      country: form.elements.country.value, region: form.elements.region.value,
      src: form.elements.src.value
    });
    return fetch("/count", { method: "POST", body: body, credentials: "omit",
                             headers: { "Accept": "application/json" } })
      .then(function (response) {
        var fresh = form.elements.count_token.value;
        if (response.status === 400 && token !== fresh) {  // a kept token expired: use this page's
          token = fresh;
          try { sessionStorage.setItem("campaign-token:" + form.getAttribute("action"), token); } catch (e) { /* off */ }
          return count(channel, kind);
        }
        return response.status;
      }, function () { return null; });
  }

  if (!form || !dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var fields = {
    country: $("country"), region: $("region"), name: $("name"), city: $("city"),
    ownWords: $("own_words"), extraTo: $("extra_to"), subject: $("subject"),
    letter: $("letter"), base: $("base"), routed: $("routed")
  };
  var touched = {};
  var FORBIDDEN = /[\p{Cc}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;
  var FORBIDDEN_IN_TEXT = /[^\P{Cc}\r\n\t]|[\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;

  /* Same as letters.normalize_text. */
  function normalize(text) {
    return text.replace(/\r\n/g, "\n").replace(/\r/g, "\n").split("\n")
      .map(function (line) { return line.replace(/[ \t]+$/, ""); }).join("\n")
      .replace(/\n{3,}/g, "\n\n").replace(/^\n+|\n+$/g, "");
  }

  /* Same as letters.compose_letter. */
  function composeLetter(signature) {
    var text = data.skeleton;
    Object.keys(data.markers).forEach(function (field) {
      text = text.split(data.markers[field]).join(normalize(signature[field]));
    });
    return normalize(text);
  }

  /* Same as links.encode and links.encode_addresses. */
  function encode(value) { return encodeURIComponent(value); }
  function encodeAddresses(to) {
    return to.map(function (a) { return encode(a).replace(/%40/g, "@"); }).join(",");
  }

  /* Same as links.compose_mailto and links.compose_webmail. */
  function composeMailto(m) {
    return "mailto:" + encodeAddresses(m.to) + "?subject=" + encode(m.subject) +
      "&body=" + encode(m.body.replace(/\n/g, "\r\n"));
  }
  function composeWebmail(channel, m) {
    var f = data.webmail[channel];
    return f.base + f.to + "=" + encodeAddresses(m.to) + "&" + f.subject + "=" +
      encode(m.subject) + "&" + f.body + "=" + encode(m.body);
  }

  /* Same as links.fit. */
  function fit(m, build, limit) {
    var href = build(m);
    if (href.length <= limit) return { href: href, shortened: false };
    return { href: build({ to: m.to, subject: m.subject, body: data.shortBody }), shortened: true };
  }

  function place() {
    var country = fields.country.value;
    var regions = data.regions[country];
    if (regions && regions.indexOf(fields.region.value) >= 0) return country + ":" + fields.region.value;
    return data.places[country] ? country : "";
  }

  /* The same checks as forms.py, for the fields the browser can check. */
  function fieldError(name) {
    var f = fields[name], value = f.value.trim();
    if (name === "country") {
      return value ? "" : "Choose your country, or \u201cAnother country\u201d.";
    }
    if (name === "region") {
      return data.regions[fields.country.value] && data.regions[fields.country.value].indexOf(value) < 0
        ? "Choose your state: it decides which consulate you write to." : "";
    }
    if (name === "name" || name === "city") {
      var what = name === "name" ? "your name" : "your city or region";
      if (!value) return "Enter " + what + ", as you want to sign the letter.";
      if (value.length > 100) return "Keep " + (name === "name" ? "your name" : "your city") + " within 100 characters.";
      if (FORBIDDEN.test(value)) return "Use letters and punctuation only: no line breaks or invisible control characters.";
      if (/[<>]/.test(value)) return "Names and places don't contain < or >: please remove them.";
    }
    if (name === "subject") {
      if (!value) return "Enter a subject line.";
      if (value.length > 150) return "Keep the subject within 150 characters.";
      if (FORBIDDEN.test(value)) return "Use letters and punctuation only: no line breaks or invisible control characters.";
    }
    if (name === "ownWords") {
      if (value.length > 1000) return "Keep it within 1000 characters.";
      if (FORBIDDEN_IN_TEXT.test(value)) return "Remove the invisible control characters from this text.";
    }
    if (name === "letter") {
      if (f.value.length > 10000) return "Keep the letter within 10000 characters.";
      if (FORBIDDEN_IN_TEXT.test(f.value)) return "Remove the invisible control characters from this text.";
    }
    if (name === "extraTo" && value) {
      if (fields.country.value !== "other") return "This is only for a country not in the list: choose \u201cAnother country\u201d, or leave it empty.";
      if (!/^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/.test(value)) return "Enter one email address, like embassy@example.org.";
    }
    return "";
  }

  function showError(name, message) {
    var f = fields[name], box = $(f.id + "-error"), wrapper = $(f.id + "-field");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
    wrapper.classList.toggle("has-error", !!message);
    if (message) f.setAttribute("aria-invalid", "true"); else f.removeAttribute("aria-invalid");
    var ids = (f.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== box.id;
    });
    if (message) ids.push(box.id);
    if (ids.length) f.setAttribute("aria-describedby", ids.join(" "));
    else f.removeAttribute("aria-describedby");
  }

  function checkFields(showAll) {
    var first = null;
    Object.keys(fields).forEach(function (name) {
      if (name === "base" || name === "routed") return;
      var message = fieldError(name);
      if (showAll || touched[name]) showError(name, message);
      if (message && !first) first = fields[name];
    });
    return first;
  }

  function fillRow(tpl, recipient, key) {
    var row = tpl.content.firstElementChild.cloneNode(true);
    row.setAttribute("data-key", key);
    row.querySelector("[data-slot=name]").textContent = recipient.name;
    var box = row.querySelector("input");
    if (box) {
      box.value = key; box.id = "to-" + key; box.checked = true;
      row.querySelector("label").htmlFor = box.id;
      row.querySelector("[data-slot=email]").textContent = recipient.email;
      row.querySelector("[data-slot=unconfirmed]").hidden = !recipient.unconfirmed;
      var report = row.querySelector("[data-slot=report]");
      report.href = recipient.report || "";
      report.hidden = !recipient.report;
      report.querySelector(".visually-hidden").textContent = " Tell the organizers about " + recipient.name;
    } else {
      var site = row.querySelector("[data-slot=website]");
      site.href = recipient.website || "";
      site.hidden = !recipient.website;
    }
    return row;
  }

  /* A new place lists its recipients, every one ticked (as drafts.prepare does). */
  function listRecipients() {
    var key = place();
    if (fields.routed.value === key) return;
    fields.routed.value = key;
    var route = data.places[key], list = $("recipient-list");
    list.textContent = "";
    route.recipients.forEach(function (rkey) {
      var r = data.recipients[rkey];
      var row = fillRow($(r.email ? "tpl-recipient" : "tpl-no-address"), r, rkey);
      var serving = row.querySelector("[data-slot=serving]");
      if (serving) serving.hidden = !(route.serving === rkey && route.instead);
      list.appendChild(row);
    });
    $("no-country-hint").hidden = !!fields.country.value;
  }

  function showFor() {
    var country = fields.country.value;
    document.querySelectorAll("[data-show-for]").forEach(function (node) {
      var what = node.getAttribute("data-show-for");
      node.hidden = what === "regions" ? !data.regions[country] : country !== what;
    });
  }

  function signature() {
    return { name: fields.name.value.trim(), city: fields.city.value.trim(),
             own_words: fields.ownWords.value.trim() };
  }

  function isEdited() {
    var typed = normalize(fields.letter.value);
    return typed !== "" && typed !== normalize(fields.base.value);
  }

  function refreshLetter(reset) {
    if (reset || !isEdited()) {
      var composed = composeLetter(signature());
      fields.letter.value = composed;
      fields.base.value = composed;
    }
    $("edited-note").hidden = !isEdited();
  }

  function message() {
    var to = [];
    document.querySelectorAll("#recipient-list input[name=to]:checked").forEach(function (box) {
      to.push(data.recipients[box.value].email);
    });
    var extra = fields.extraTo.value.trim();
    if (extra && fields.country.value === "other") to.push(extra);
    return { to: to, subject: fields.subject.value.trim(), body: normalize(fields.letter.value) };
  }

  function refreshLinks() {
    var invalid = checkFields(false);
    var m = message();
    var noRecipient = m.to.length === 0;
    var toError = $("recipients-error");
    toError.hidden = !(noRecipient && touched.to);
    toError.textContent = noRecipient ? "Tick at least one recipient: the letter needs someone to go to." : "";
    var ready = !invalid && !noRecipient;
    $("send-waiting").hidden = ready;
    $("send-ready").hidden = !ready;
    if (!ready) return;
    var links = { mailto: fit(m, composeMailto, data.limits.mailto) };
    Object.keys(data.webmail).forEach(function (channel) {
      links[channel] = fit(m, function (msg) { return composeWebmail(channel, msg); }, data.limits.webmail);
    });
    var shortened = false;
    Object.keys(links).forEach(function (channel) {
      var a = $("send-" + channel);
      a.href = links[channel].href;
      a.setAttribute("data-shortened", links[channel].shortened ? "1" : "");
      shortened = shortened || links[channel].shortened;
    });
    $("shortened-note").hidden = !shortened;
    $("copy-to").value = m.to.join(", ");
    $("copy-subject").value = m.subject;
    $("copy-body").value = m.body;
    var n = m.to.length;
    $("send-status").textContent = "Your letter to " + n + (n === 1 ? " recipient" : " recipients") + " is ready.";
  }

  function update() {
    showFor();
    listRecipients();
    refreshLetter(false);
    refreshLinks();
  }

  form.addEventListener("input", function (event) {
    var name = Object.keys(fields).filter(function (k) { return fields[k] === event.target; })[0];
    if (name) touched[name] = true;
    if (event.target.name === "to") touched.to = true;
    update();
  });
  form.addEventListener("change", function (event) {
    var name = Object.keys(fields).filter(function (k) { return fields[k] === event.target; })[0];
    if (name) touched[name] = true;
    if (event.target.name === "to") touched.to = true;
    update();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (event.submitter && event.submitter.id === "reset-letter") {
      refreshLetter(true);
      refreshLinks();
      fields.letter.focus();
      return;
    }
    touched.to = true;
    var first = checkFields(true);
    refreshLinks();
    if (first) { first.focus(); return; }
    var heading = $("send-title");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  });
  /* A link too long for the full letter opens a short note: the letter goes to the clipboard.
     Any send is counted, and the share panel thanks the supporter. */
  document.querySelectorAll(".send-buttons a").forEach(function (a) {
    a.addEventListener("click", function () {
      if (a.getAttribute("data-shortened")) copy($("copy-body").value, "Copied the letter: paste it into your email.");
      count(a.getAttribute("data-channel"));
      $("share-thanks").hidden = false;
    });
  });
  $("confirm-sent").addEventListener("click", function (event) {
    event.preventDefault();
    count("", "confirmed").then(function () {
      $("confirm-thanks").hidden = false;
      $("confirm-sent").disabled = true;
    });
  });

  fields.routed.value = fields.routed.value || place();
  update();
})();
