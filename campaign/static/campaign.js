/* The letter page, made live: the letter and its links are built here, in the browser, from
   the same data and rules as the server (campaign/letters.py, links.py, forms.py, drafts.py),
   so a supporter's name and city need not leave the device. Without this file the form still
   works: it posts, and the server builds the same letter and links. */
(function (live) {
  "use strict";
  /* The letter's data is a file of its own, loaded beside this one (templates/_scripts.html):
     whichever of the two arrives last makes the page live, in that file's own task. */
  var source = document.getElementById("letter-data");
  if (source && !window.campaignData) source.addEventListener("load", live);
  else live();
})(function () {
  "use strict";

  // When the script starts and is ready: `make bench` (bench/pagestart.py) times the start
  // between these, on a phone slowed 4x.
  if (window.performance && performance.mark) performance.mark("campaign-start");
  var $ = function (id) { return document.getElementById(id); };
  /* start.js said so before the first paint; said again in case that file did not load. */
  document.documentElement.classList.add("js");
  if (navigator.share) document.documentElement.classList.add("can-share");

  /* The pure functions, each the twin of a Python one; the browser tests run both over many
     generated inputs and compare. `data` is what scriptdata.browser_data gives the page. */
  function makeCore(data) {
    // Python's str.strip() removes exactly these; JavaScript's trim() a slightly other set.
    var SPACE = "\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
    var EDGES = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
    var FORBIDDEN = /[\p{Cc}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;
    var FORBIDDEN_IN_TEXT = /[^\P{Cc}\r\n\t]|[\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;

    function strip(text) { return text.replace(EDGES, ""); }
    function own(table, key) { return Object.prototype.hasOwnProperty.call(table, key); }

    /* letters.normalize_text */
    function normalize(text) {
      return text.replace(/\r\n/g, "\n").replace(/\r/g, "\n").split("\n")
        .map(function (line) { return line.replace(/[ \t]+$/, ""); }).join("\n")
        .replace(/\n{3,}/g, "\n\n").replace(/^\n+|\n+$/g, "");
    }

    /* lettertext.compose_letter: the blanks' words where the supporter has not signed yet */
    function composeLetter(skeleton, signature, blanks) {
      var text = skeleton;
      Object.keys(data.markers).forEach(function (field) {
        var typed = normalize(signature[field] || "");
        text = text.split(data.markers[field]).join(typed || normalize((blanks || {})[field] || ""));
      });
      return normalize(text);
    }

    /* letters.resign: an edited letter signed anew, where the edit left the signature be.
       Code points, as Python counts them, not UTF-16 units. */
    function resign(edited, old, next) {
      if (old === next) return edited;
      var a = Array.from(old), b = Array.from(next), start = 0, end = 0;
      var most = Math.min(a.length, b.length);
      while (start < most && a[start] === b[start]) start++;
      while (end < most - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
      var before = a.slice(Math.max(0, start - data.resignContext), start).join("");
      var after = a.slice(a.length - end, a.length - end + data.resignContext).join("");
      var was = before + a.slice(start, a.length - end).join("") + after;
      if (!was || edited.split(was).length !== 2) return null;
      return normalize(edited.split(was).join(before + b.slice(start, b.length - end).join("") + after));
    }

    /* links.encode and links.encode_addresses */
    function encode(value) { return encodeURIComponent(value); }
    function encodeAddresses(to) {
      return to.map(function (a) { return encode(a).replace(/%40/g, "@"); }).join(",");
    }

    /* links.compose_mailto and links.compose_webmail */
    function composeMailto(m) {
      return "mailto:" + encodeAddresses(m.to) + "?subject=" + encode(m.subject) +
        "&body=" + encode(m.body.replace(/\n/g, "\r\n"));
    }
    function composeWebmail(channel, m) {
      var f = data.webmail[channel];
      if (f.mailto) return f.base + f.mailto + "=" + encode(composeMailto(m));
      return f.base + f.to + "=" + encodeAddresses(m.to) + "&" + f.subject + "=" +
        encode(m.subject) + "&" + f.body + "=" + encode(m.body);
    }

    /* links.channel_order: the mail app, the webmails of the supporter's language or country,
       then the others */
    function channelOrder(language, country) {
      var first = [], rest = [];
      Object.keys(data.webmail).forEach(function (channel) {
        var wanted = data.webmail[channel].firstFor;
        (wanted.indexOf(language) >= 0 || wanted.indexOf(country) >= 0 ? first : rest).push(channel);
      });
      return ["mailto"].concat(first, rest);
    }
    function build(channel, m) {
      return channel === "mailto" ? composeMailto(m) : composeWebmail(channel, m);
    }

    /* links.platform_of: the platform a browser runs on, from its User-Agent */
    function platformOf(userAgent) {
      if (userAgent.indexOf("CrOS") >= 0) return "chromeos";
      if (userAgent.indexOf("Windows") >= 0) return userAgent.indexOf("Firefox/") >= 0 ? "windows-firefox" : "windows";
      if (userAgent.indexOf("Android") >= 0) return "android";
      if (/iPhone|iPad|iPod/.test(userAgent)) return "ios";
      if (userAgent.indexOf("Macintosh") >= 0 || userAgent.indexOf("Mac OS X") >= 0) return "mac";
      if (userAgent.indexOf("Linux") >= 0 || userAgent.indexOf("X11") >= 0) return "linux";
      return "unknown";
    }

    /* links.limits_for: each channel's limit on a platform */
    function limitsFor(platform) {
      var limits = {};
      Object.keys(data.limits).forEach(function (channel) { limits[channel] = data.limits[channel]; });
      limits.mailto = data.mailtoLimits[platform] || data.mailtoLimits.unknown;
      return limits;
    }

    /* links.fit: a channel's link, with the short body past its limit */
    function fit(channel, m, limits) {
      var href = build(channel, m);
      if (href.length <= (limits || data.limits)[channel]) return { href: href, shortened: false, length: href.length };
      return { href: build(channel, { to: m.to, subject: m.subject, body: data.shortBody }),
               shortened: true, length: href.length };
    }

    /* forms.validators: a typed field against its rule (forms.RULES); "" if it is fine */
    function checkRule(rule, value) {
      if (!strip(value)) return rule.required || "";
      if (rule.one_line && FORBIDDEN.test(value)) return data.form.messages.one_line;
      if (rule.text && FORBIDDEN_IN_TEXT.test(value)) return data.form.messages.control;
      if (rule.no_brackets && /[<>]/.test(value)) return data.form.messages.brackets;
      if (rule.max !== null && Array.from(value).length > rule.max) return rule.too_long;
      return "";
    }

    /* A place's route, as the server gives each place (scriptdata.browser_data): the
       country's, or its region's where the region is one of the country's answers. */
    function countryRoute(country) {
      return own(data.places, country) ? data.places[country] : data.places[""];
    }
    function route(country, region) {
      var found = countryRoute(country);
      return found.regions && own(found.regions, region) ? found.regions[region] : found;
    }

    /* drafts.subject_for: theirs, unless it is still the one offered to everyone */
    function subjectFor(subject, offered, subjects, chance) {
      if (!offered || strip(subject) !== offered) return subject;
      return subjects[Math.min(Math.floor(chance * subjects.length), subjects.length - 1)];
    }

    /* rules.waiting_for: what the send step waits for, from the questions needing an answer
       ([name, empty] each), in the form's order: [field, what to do there] each */
    function waitingFor(problems, regionKind) {
      var order = data.form.order;
      return problems.slice().sort(function (a, b) {
        return order.indexOf(a[0]) - order.indexOf(b[0]);
      }).filter(function (problem) {
        return problem[0] === "region" || own(data.form.waiting, problem[0]);
      }).map(function (problem) {
        if (problem[0] === "region") return [problem[0], data.form.regions[regionKind].prompt];
        if (problem[1] === null) return [problem[0], data.form.checking];  // the page only
        var phrases = data.form.waiting[problem[0]];
        return [problem[0], phrases[problem[1] ? 0 : 1] || phrases[1]];
      });
    }

    /* drafts.preview_of: the letter's first two paragraphs, and its last */
    function previewOf(text) {
      var paragraphs = text.split("\n\n");
      if (paragraphs.length < 2) return { opening: text, closing: "" };
      return { opening: paragraphs.slice(0, Math.min(2, paragraphs.length - 1)).join("\n"),
               closing: paragraphs[paragraphs.length - 1] };
    }

    return { strip: strip, normalize: normalize, composeLetter: composeLetter, resign: resign,
             encode: encode, channelOrder: channelOrder,
             composeMailto: composeMailto, composeWebmail: composeWebmail, fit: fit,
             checkRule: checkRule, platformOf: platformOf, limitsFor: limitsFor,
             countryRoute: countryRoute, route: route, subjectFor: subjectFor,
             waitingFor: waitingFor, previewOf: previewOf };
  }

  /* Copy text; say `done` in `status`, or `failed` (the page's words, in its language). */
  function copy(text, done, failed, status) {
    status = status || $("copied");
    var say = function (ok) { if (status) status.textContent = ok ? done : failed; };
    if (navigator.clipboard && window.isSecureContext) {
      /* refused in a frame the partner's page did not allow to copy: the old way then */
      navigator.clipboard.writeText(text).then(function () { say(true); }, function () { say(copyOld(text)); });
      return;
    }
    say(copyOld(text));
  }
  function copyOld(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  /* Copy buttons and the Web Share button: on the letter page and the thank-you page (the
     stylesheet shows them where this script runs: start.js). */
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = $(button.getAttribute("data-copy"));
    if (!source) return;
    button.addEventListener("click", function () {
      var section = button.closest("section");
      var status = (section && section.querySelector("[data-copied]")) || $("copied");
      copy(source.value, button.getAttribute("data-done"), status.getAttribute("data-failed"),
           status);
      if (source.id === "copy-body") count("copy");
    });
  });
  var webShare = $("share-webshare");
  if (webShare && navigator.share) {
    webShare.addEventListener("click", function () {
      navigator.share({ title: webShare.getAttribute("data-share-title"),
                        text: webShare.getAttribute("data-share-text"),
                        url: webShare.getAttribute("data-share-url") }).catch(function () {});
    });
  }

  var form = $("letter-form");
  /* The page's data, from its own file (web/scriptdata.py): here by now (see the top). */
  var data = window.campaignData;

  /* Count a send or an "I sent it", each once per page view. The page is the same for
     everyone and carries no token: one is fetched when the supporter first sends (a page a
     post returned has its own). Only the letter, place, channel and share source are sent,
     never the letter itself. */
  var token = form && form.elements.count_token.value ? Promise.resolve(form.elements.count_token.value) : null;
  var counted = {};
  function fetchToken() {
    if (!token) {
      token = fetch("/token", { method: "POST", credentials: "omit",
                                body: new URLSearchParams({ letter: form.getAttribute("data-letter") }) })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (reply) { return reply.token || null; }, function () { token = null; return null; });
    }
    return token;
  }
  function count(channel, kind) {
    kind = kind || "action";
    if (!form || counted[kind]) return Promise.resolve(null);
    counted[kind] = true;
    /* While the app restarts (a deploy), the server answers 502 or 503 for a few seconds: a
       send that meets one (or gets no token) is sent once more after a short wait, and the
       page says nothing of it. The token makes that safe: a count made already is "reused". */
    var RETRY_AFTER_MS = 2000, NO_TOKEN = "no token";
    function attempt(last) {
      return fetchToken().then(function (value) {
        if (!value) { token = null; return NO_TOKEN; }  /* fetched again next time */
        var body = new URLSearchParams({
          token: value, kind: kind, channel: channel || "",
          country: form.elements.country.value, region: form.elements.region.value,
          src: form.elements.src.value
        });
        return fetch("/count", { method: "POST", body: body, credentials: "omit",
                                 headers: { "Accept": "application/json" } })
          .then(function (response) { return response.status; }, function () { return null; });
      }).then(function (status) {
        if (last || (status !== 502 && status !== 503 && status !== NO_TOKEN)) return status;
        return new Promise(function (resolve) { window.setTimeout(resolve, RETRY_AFTER_MS); })
          .then(function () { return attempt(true); });
      });
    }
    return attempt(false).then(function (status) {
      if (status !== NO_TOKEN) return status;
      counted[kind] = false;  /* a later send may try again */
      return null;
    });
  }

  if (!form || !data) return;
  var core = makeCore(data);
  window.campaignCore = core;  /* for the browser tests, which compare it with Python */
  var fields = {};
  ["country", "region", "name", "city", "own_words", "extra_to", "subject", "letter", "base",
   "routed", "letter_language", "offered"].forEach(function (name) { fields[name] = $(name); });
  // The questions the page checks, in the order it asks them (rules.FORM_ORDER), but the
  // page where a supporter found an address: the server alone checks it (it is only told
  // to the organizers).
  var CHECKED = data.form.order.filter(function (name) { return name !== "to" && fields[name]; });
  var touched = {};

  /* The chosen place's route (the server names each place's key, and what the form asks
     there: drafts.browser_data). */
  function countryRoute() { return core.countryRoute(fields.country.value); }
  function route() { return core.route(fields.country.value, fields.region.value); }

  /* The language the letter is sent in: the page offers a choice only where the letter has
     several (else the one it has). */
  function letterLanguage() {
    var chosen = fields.letter_language ? fields.letter_language.value : "";
    return data.letters[chosen] ? chosen : Object.keys(data.letters)[0];
  }
  /* A fresh page leaves the base empty (its letter is in the page once, not twice): the base
     is then the letter that page offered, in the language it offered (pages._fill). */
  if (!fields.base.value) {
    var offered = fields.letter_language && fields.letter_language.querySelector("option[selected]");
    var first = data.letters[offered ? offered.value : ""] || data.letters[letterLanguage()];
    fields.base.value = core.composeLetter(first.skeleton, {}, first.blanks);
  }

  /* The address a supporter adds for their mission is judged by the server's rule alone
     (forms.address_problem), asked once per address: the answer, or null while asking. The
     address is a mission's, posted (never in a URL) and neither kept nor logged there. If the
     server cannot be asked, the address is taken as typed: the check never stops a letter. */
  var verdicts = {}, asking = null;
  function addressVerdict(address) {
    if (Object.prototype.hasOwnProperty.call(verdicts, address)) return verdicts[address];
    if (asking) window.clearTimeout(asking);
    asking = window.setTimeout(function () {  // once they pause typing
      asking = null;
      fetch(data.addressCheck, { method: "POST", credentials: "omit",
                                 headers: { "Accept": "application/json" },
                                 body: new URLSearchParams({ address: address }) })
        .then(function (response) { return response.ok ? response.json() : { problem: "" }; })
        .then(function (reply) { return typeof reply.problem === "string" ? reply.problem : ""; },
              function () { return ""; })
        .then(function (problem) {
          verdicts[address] = problem;
          update();
        });
    }, 250);
    return null;
  }

  /* The same checks as forms.py, for the fields the browser can check; null for an address
     the server is still being asked about. */
  function fieldError(name) {
    var value = name === "letter" ? fields.letter.value : core.strip(fields[name].value);
    var messages = data.form.messages;
    if (name === "country") return value ? "" : messages.country;
    if (name === "region") {
      var country = countryRoute();
      if (!country.choices || route() !== country) return "";  // no question, or answered
      return data.form.regions[country.kind].error;
    }
    if (name === "extra_to") {
      if (!value || !route().asks.address) return "";  // not asked here: its value is not used
      return addressVerdict(value);
    }
    return core.checkRule(data.form.rules[name], value);
  }

  function showError(name, message) {
    var f = fields[name], box = $(f.id + "-error"), wrapper = $(f.id + "-field");
    if (!box || !wrapper) return;
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

  /* Each question needing an answer, as [name, whether it is empty], the address still being
     checked marked null; each field's message shown where the supporter has been, or gone
     past (a question skipped says so as soon as they fill in a later one), or everywhere. */
  var problems = [];
  function checkFields(showAll) {
    var reached = -1;
    CHECKED.forEach(function (name, at) { if (touched[name]) reached = at; });
    problems = [];
    CHECKED.forEach(function (name, at) {
      var message = fieldError(name);
      if (showAll || at <= reached) showError(name, message || "");
      if (message !== "") problems.push([name, message === null ? null : !core.strip(fields[name].value)]);
    });
    return problems.length ? fields[problems[0][0]] : null;
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
      report.querySelector("[data-slot=report-name]").textContent = " " +
        data.messages.reportLabel.replace("%(mission)s", recipient.name);
    } else {
      var site = row.querySelector("[data-slot=website]");
      site.href = recipient.website || "";
      site.hidden = !recipient.website;
    }
    return row;
  }

  /* A new place lists its recipients, every one ticked (as drafts.prepare does); where the
     place still waits for an answer, what it waits for in place of the local missions
     (drafts.Draft.shown). */
  function listRecipients() {
    var chosen = route();
    if (fields.routed.value === chosen.key) return;
    fields.routed.value = chosen.key;
    var list = $("recipient-list"), local = chosen.local.concat(chosen.instead ? [chosen.instead] : []);
    list.textContent = "";
    chosen.recipients.forEach(function (rkey) {
      if (chosen.pending && local.indexOf(rkey) >= 0) return;
      var r = data.recipients[rkey];
      var row = fillRow($(r.email ? "tpl-recipient" : "tpl-no-address"), r, rkey);
      var serving = row.querySelector("[data-slot=serving]");
      if (serving) serving.hidden = !(chosen.local.indexOf(rkey) >= 0 && chosen.instead);
      list.appendChild(row);
    });
    listMissionPosts(chosen);
  }

  /* Posts for X addressed to the supporter's missions, where they have an account (the
     server names them: Route.accounts): in the share panel, after the general post (a
     partner's frame has no share panel). */
  function listMissionPosts(chosen) {
    var general = $("share-x");
    if (!general) return;
    document.querySelectorAll(".mission-post").forEach(function (li) { li.remove(); });
    var anchor = general.parentNode.nextSibling;
    chosen.accounts.forEach(function (rkey) {
      var handle = data.recipients[rkey].x, post = data.xPost;
      if (!handle || !post) return;
      var fill = function (text) { return text.split(post.handle).join(handle); };
      var li = document.createElement("li"), a = document.createElement("a");
      li.className = "mission-post";
      a.className = "button small";
      a.setAttribute("data-channel", "x");
      a.href = fill(post.href);
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = fill(post.label);
      li.appendChild(a);
      general.parentNode.parentNode.insertBefore(li, anchor);
    });
  }

  /* "Where the addresses come from" opens /about at the chosen country (?country=, which
     the server reads and normalizes), as the page without the script links it. */
  function linkSources() {
    var link = $("sources-link"), url = new URL(link.href);
    if (fields.country.value) url.searchParams.set("country", fields.country.value);
    else url.searchParams.delete("country");
    link.setAttribute("href", url.pathname + url.search + url.hash);
  }

  /* The region select lists the chosen country's answers (scriptdata.browser_data), asked as
     the country asks them (by state, province, region or city), and shows only where they
     change who receives the letter. */
  var listedFor = null;
  function listChoices() {
    var country = countryRoute(), code = fields.country.value;
    if (listedFor === code) return;
    listedFor = code;
    var select = fields.region, kept = select.value;
    var label = $("region-field").querySelector("label");
    if (country.kind && label.textContent !== data.form.regions[country.kind].label) {
      label.textContent = data.form.regions[country.kind].label;
    }
    select.textContent = "";
    (country.choices || []).forEach(function (choice) {
      var option = document.createElement("option");
      option.value = choice[0];
      option.textContent = choice[1];
      select.appendChild(option);
    });
    select.value = kept;
    if (select.selectedIndex < 0) select.selectedIndex = 0;
  }

  /* Each field asked only in some places shows where the server says the form asks it
     (forms.asked); from now on the script decides, not the page's first state. */
  function showFor() {
    var asks = route().asks;
    document.querySelectorAll("[data-show-for]").forEach(function (node) {
      node.hidden = !asks[node.getAttribute("data-show-for")];
      node.classList.remove("no-js-only");
    });
  }

  function signature() {
    return { name: core.strip(fields.name.value), city: core.strip(fields.city.value),
             own_words: core.strip(fields.own_words.value) };
  }

  function isEdited() {
    var typed = core.normalize(fields.letter.value);
    return typed !== "" && typed !== core.normalize(fields.base.value);
  }

  /* The letter as composed; an edited one keeps the edit, and gets a changed name, city or
     sentence signed in where the edit left that part be (drafts.prepare does the same). */
  function refreshLetter(reset) {
    var version = data.letters[letterLanguage()];
    var composed = core.composeLetter(version.skeleton, signature(), version.blanks);
    if (reset || !isEdited()) {
      fields.letter.value = composed;
      fields.base.value = composed;
    } else {
      var typed = core.normalize(fields.letter.value);
      var resigned = core.resign(typed, core.normalize(fields.base.value), composed);
      if (resigned !== null) {
        if (resigned !== typed) fields.letter.value = resigned;
        fields.base.value = composed;
      }
    }
    var stale = isEdited() && core.normalize(fields.base.value) !== composed;
    $("edited-note").hidden = !isEdited();
    $("edited-kept").hidden = stale;
    $("edited-stale").hidden = !stale;
  }

  function message() {
    var to = [];
    document.querySelectorAll("#recipient-list input[name=to]:checked").forEach(function (box) {
      to.push(data.recipients[box.value].email);
    });
    var extra = core.strip(fields.extra_to.value);
    if (extra && route().asks.address) to.push(extra);
    return { to: to, subject: core.strip(fields.subject.value), body: core.normalize(fields.letter.value) };
  }

  function refreshLinks() {
    var invalid = checkFields(false);
    var m = message();
    // Where no recipient has an email address, the letter is ready all the same, with no
    // email links (drafts.prepare): the send step offers the other ways.
    var byEmail = m.to.length > 0 || route().recipients.some(function (rkey) {
      return !!data.recipients[rkey].email;
    });
    var noRecipient = byEmail && m.to.length === 0;
    var toError = $("recipients-error");
    toError.hidden = !(noRecipient && touched.to);
    toError.textContent = noRecipient ? data.form.messages.no_recipient : "";
    var ready = !invalid && !noRecipient;
    if (!invalid && noRecipient) problems.push(["to", true]);
    showWaiting(core.waitingFor(problems, countryRoute().kind || "region"));
    showPreview(m, byEmail);
    $("send-waiting").hidden = ready;
    $("send-ready").hidden = !ready;
    $("send-ready").classList.toggle("no-email", !byEmail);
    if (!ready) return;
    if (postLink) postLink.href = postAddress(postLink);
    if (postPage) postPage.href = postAddress(postPage);
    var shortened = false;
    var limits = core.limitsFor(core.platformOf(navigator.userAgent));
    /* Where no email reaches the supporter, no mail link is built (the buttons are hidden). */
    if (byEmail) Object.keys(data.limits).forEach(function (channel) {
      var link = core.fit(channel, m, limits), a = $("send-" + channel);
      if (!a) return;
      a.href = link.href;
      a.setAttribute("data-shortened", link.shortened ? "1" : "");
      shortened = shortened || link.shortened;
    });
    $("shortened-note").hidden = !shortened;
    $("copy-to").value = m.to.join(", ");
    $("copy-subject").value = m.subject;
    $("copy-body").value = m.body;
    var n = m.to.length;
    $("send-status").textContent = data.messages.ready[Math.min(n, data.messages.ready.length - 1)];
  }

  /* What the send step waits for, each a link to its question; rewritten only when it
     changes (on arrival, the server drew the same list). */
  function showWaiting(waiting) {
    var list = $("waiting-list");
    var wanted = waiting.map(function (w) {
      return ["#" + (w[0] === "to" ? "recipients" : fields[w[0]].id), w[1]];
    });
    var shown = Array.prototype.map.call(list.querySelectorAll("a"), function (a) {
      return [a.getAttribute("href"), a.textContent];
    });
    if (JSON.stringify(shown) === JSON.stringify(wanted)) return;
    list.textContent = "";
    wanted.forEach(function (w) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = w[0];
      a.textContent = w[1];
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  /* The preview before the send buttons, as an email shows it: who receives it (and what
     the place still waits for, in place of its embassy or consulate), the subject, the
     letter's opening and signature. Each part is rewritten only when it changes. */
  function showPreview(m, byEmail) {
    var chosen = route(), country = countryRoute(), question = $("pending-question");
    $("pending-row").hidden = !chosen.pending;
    $("no-email-row").hidden = byEmail || chosen.pending;
    var asked = fields.country.value && country.kind
      ? data.form.regions[country.kind].prompt : data.form.waiting.country[0];
    if (question.textContent !== asked) question.textContent = asked;
    question.setAttribute("href", fields.country.value && country.kind ? "#region" : "#country");
    var names = [];
    document.querySelectorAll("#recipient-list input[name=to]:checked").forEach(function (box) {
      names.push([box.value, data.recipients[box.value].name]);
    });
    var extra = core.strip(fields.extra_to.value);
    if (extra && chosen.asks.address) names.push(["", extra]);
    var to = $("preview-to"), listed = to.querySelectorAll("li[data-key]");
    var same = listed.length === names.length && names.every(function (name, at) {
      return listed[at].getAttribute("data-key") === name[0] && listed[at].textContent === name[1];
    });
    if (!same) {
      listed.forEach(function (li) { li.remove(); });
      names.forEach(function (name) {
        var li = document.createElement("li");
        li.setAttribute("data-key", name[0]);
        if (!name[0]) li.setAttribute("translate", "no");
        li.textContent = name[1];
        to.appendChild(li);
      });
    }
    var preview = core.previewOf(m.body);
    var parts = { "preview-subject": m.subject, "preview-opening": preview.opening,
                  "preview-closing": preview.closing };
    Object.keys(parts).forEach(function (id) {
      var node = $(id);
      if (node.textContent !== parts[id]) node.textContent = parts[id];
      node.hidden = !parts[id] && id === "preview-closing";
    });
  }

  /* The send buttons in the order of the supporter's country (and the page's language), as
     the server orders them (links.channel_order): each channel's pair of items moves whole.
     Only when the order changes: a button moved while it is pressed (a field's change event
     runs first) would lose the press. */
  function orderChannels() {
    var list = document.querySelector(".send-buttons");
    if (!list) return;
    var wanted = [];
    core.channelOrder(data.pageLanguage, fields.country.value).forEach(function (channel) {
      list.querySelectorAll("li[data-channel='" + channel + "']").forEach(function (li) {
        wanted.push(li);
      });
    });
    var items = list.querySelectorAll("li[data-channel]");
    if (wanted.every(function (li, i) { return items[i] === li; })) return;
    wanted.forEach(function (li) { list.appendChild(li); });
  }

  function update() {
    orderChannels();
    listChoices();
    showFor();
    listRecipients();
    linkSources();
    refreshLetter(false);
    refreshLinks();
  }

  function touch(event) {
    var name = Object.keys(fields).filter(function (k) { return fields[k] === event.target; })[0];
    if (name) touched[name] = true;
    if (event.target.name === "to") touched.to = true;
    update();
  }
  form.addEventListener("input", touch);
  form.addEventListener("change", touch);
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
    if (first) {
      var folded = first.closest("details");  // the subject or letter, in the letter's fold
      if (folded) folded.open = true;
      first.focus();
      return;
    }
    var heading = $("send-title");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  });
  /* A link too long for the full letter opens a short note: the letter goes to the clipboard.
     Any send is counted, and the share panel thanks the supporter. */
  document.querySelectorAll(".send-buttons a").forEach(function (a) {
    a.addEventListener("click", function () {
      var note = $("shortened-note");
      if (a.getAttribute("data-shortened")) copy($("copy-body").value, note.getAttribute("data-done"), note.getAttribute("data-failed"));
      count(a.getAttribute("data-channel"));
      tellOrganizers();
      if ($("share-thanks")) $("share-thanks").hidden = false;  /* not in a partner's frame */
      showNextSteps();
    });
  });
  /* Send it by post: the letter, name and city wait in this tab's own storage for the print
     page, which fills them in (post.js): they never leave the device. The send is counted,
     then the print page opens in this tab; its address names only the country and region. */
  var postLink = $("send-post"), postPage = $("send-post-page");
  function postAddress(link) {
    var url = new URL(link.href);
    url.search = "";
    if (fields.country.value) url.searchParams.set("country", fields.country.value);
    if (fields.region.value) url.searchParams.set("region", fields.region.value);
    return url.href;
  }
  if (postLink) {
    postLink.addEventListener("click", function (event) {
      event.preventDefault();
      var target = postAddress(postLink), opened = false;
      try {
        window.sessionStorage.setItem(data.postKey, JSON.stringify({
          letter: form.getAttribute("data-letter"), language: letterLanguage(),
          text: core.normalize(fields.letter.value),
          sender: [core.strip(fields.name.value), core.strip(fields.city.value)]
            .filter(Boolean).join("\n")
        }));
      } catch (e) { /* storage refused: the print page shows the blank letter, and says so */ }
      var open = function () { if (!opened) { opened = true; window.location.assign(target); } };
      count("post").then(open, open);
      window.setTimeout(open, 3000);  /* a slow count never keeps the letter waiting */
    });
  }
  /* Where the supporter ticked "also tell the organizers": the address they added, their
     place (the server names the mission from it) and the page they give, nothing else; once a
     page, with its token, when they send (forms.Asked.suggest says where it is asked). */
  var told = false;
  function tellOrganizers() {
    var box = form.elements.tell_organizers, address = core.strip(fields.extra_to.value);
    if (told || !box || !box.checked || !address || !route().asks.suggest) return;
    told = true;
    var status = $("suggest-status");
    fetchToken().then(function (value) {
      if (!value) return null;
      var body = new URLSearchParams({
        token: value, country: fields.country.value, region: fields.region.value,
        address: address, page: core.strip(form.elements.found_at.value)
      });
      return fetch(data.suggestAddress, { method: "POST", body: body, credentials: "omit",
                                          headers: { "Accept": "application/json" } })
        .then(function (response) { return response.status; }, function () { return null; });
    }).then(function (answer) {
      var ok = answer === 201 || answer === 200;
      told = ok;  /* a next send tries again */
      status.textContent = status.getAttribute(ok ? "data-done" : "data-failed");
      status.className = ok ? "status" : "error";
      status.hidden = false;
    });
  }

  /* Once the email has opened, say what to do next: a supporter who sees nothing change
     cannot tell whether anything happened. Said once; it stays while they come back. */
  function showNextSteps() {
    var steps = $("next-steps");
    if (!steps.hidden) return;
    steps.hidden = false;
    // After the mail app or webmail tab has taken over; the page is there when they return.
    window.setTimeout(function () { steps.scrollIntoView({ block: "nearest" }); }, 300);
  }
  $("confirm-sent").addEventListener("click", function (event) {
    event.preventDefault();
    count("", "confirmed").then(function () {
      $("confirm-thanks").hidden = false;
      $("confirm-sent").disabled = true;
    });
  });

  /* The countries of the browser's languages (en-GB, ko-KR) join the suggested ones. */
  (function suggest() {
    var label = data.form.messages.suggested, group = null;
    fields.country.querySelectorAll("optgroup").forEach(function (g) { if (g.label === label) group = g; });
    if (!group) {
      var second = fields.country.options[1];
      group = document.createElement("optgroup");
      group.label = label;
      fields.country.insertBefore(group, second && second.parentNode !== fields.country
        ? second.parentNode : second || null);
    }
    (navigator.languages || []).forEach(function (tag) {
      var region = (tag.split("-").filter(function (part) { return /^[A-Z]{2}$/.test(part); })[0]);
      if (!region || !data.places[region] || group.querySelector("option[value=" + region + "]")) return;
      var all = fields.country.querySelector("option[value=" + region + "]");
      if (!all) return;
      var option = document.createElement("option");
      option.value = region;
      option.textContent = all.textContent;
      group.appendChild(option);
    });
    if (!group.children.length) group.remove();
  })();

  /* Each supporter gets a subject line of their own, in the letter's language, unless they
     wrote one: the page offers the same one to everyone (drafts.subject_for). */
  function offerSubject() {
    var subjects = data.letters[letterLanguage()].subjects;
    var subject = core.subjectFor(fields.subject.value, fields.offered.value, subjects, Math.random());
    if (subject !== fields.subject.value) fields.subject.value = fields.offered.value = subject;
  }
  /* The subject and the letter are in the letter's language, which may not be the page's:
     marked so, as the server marks them, for spelling, reading aloud and direction. */
  function markLanguage() {
    var version = data.letters[letterLanguage()];
    ["subject", "letter", "copy-subject", "copy-body", "preview-subject", "preview-opening",
     "preview-closing"].forEach(function (id) {
      var node = $(id);
      if (node) { node.lang = version.tag; node.dir = version.dir; }
    });
  }
  if (fields.letter_language) {
    fields.letter_language.addEventListener("change", function () {
      markLanguage(); offerSubject(); update();
    });
  }
  offerSubject();

  fields.routed.value = fields.routed.value || route().key;
  update();
  if (window.performance && performance.mark) performance.mark("campaign-ready");
});
