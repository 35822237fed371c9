// Nghe dân nói: the local web chat page. No framework and no build step: the server sends
// messages whose HTML is already sanitised (bot/channels/webchat/store.py), and pushes every
// new or edited message over a WebSocket.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const POST_HEADER = { "X-Nghedan-Web": "1" };
  const state = {
    strings: {},
    locale: "vi",
    boot: null,
    unit: null,
    officer: null,
    view: "chat",
    panes: {
      citizen: { list: $("citizen-messages"), messages: new Map() },
      group: { list: $("group-messages"), messages: new Map() },
    },
    replyTo: null, // group message id the officer answers
    forceReplyIds: new Set(), // prompts this page asked for, by id
    socket: null,
    retry: 1000,
    ticketsTimer: null,
    typingTimer: null,
  };

  // -- server ------------------------------------------------------------------------------
  async function api(path, { json, form } = {}) {
    const options = { credentials: "same-origin", headers: {} };
    if (json !== undefined || form !== undefined) {
      options.method = "POST";
      Object.assign(options.headers, POST_HEADER);
      if (form !== undefined) {
        options.body = form;
      } else {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(json);
      }
    }
    const response = await fetch(path, options);
    if (!response.ok) {
      const error = new Error(`${response.status} ${path}`);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  function nonce() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // -- text --------------------------------------------------------------------------------
  function t(id) {
    return state.strings[id] ?? id;
  }

  function applyStrings() {
    document.documentElement.lang = state.locale;
    document.title = t("web-title");
    document.querySelectorAll("[data-t]").forEach((el) => {
      el.textContent = t(el.dataset.t);
    });
    document.querySelectorAll("[data-placeholder]").forEach((el) => {
      el.placeholder = t(el.dataset.placeholder);
    });
    document.querySelectorAll("[data-title]").forEach((el) => {
      el.title = t(el.dataset.title);
      el.setAttribute("aria-label", t(el.dataset.title));
    });
    document.querySelectorAll("[data-label]").forEach((el) => {
      el.setAttribute("aria-label", t(el.dataset.label));
    });
    document.querySelectorAll("[data-locale]").forEach((el) => {
      el.setAttribute("aria-pressed", String(el.dataset.locale === state.locale));
    });
  }

  async function setLocale(locale) {
    state.locale = locale;
    localStorage.setItem("nghedan-locale", locale);
    state.strings = await api(`/web/strings?locale=${encodeURIComponent(locale)}`);
    applyStrings();
    fillOfficers();
    renderPane("citizen");
    renderPane("group");
    if (state.view === "tickets") loadTickets();
  }

  // -- toast, banner ------------------------------------------------------------------------
  let toastTimer = null;
  function toast(text, isError = false) {
    const el = $("toast");
    el.textContent = text;
    el.classList.toggle("error", isError);
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (el.hidden = true), isError ? 6000 : 3500);
  }

  function banner(text) {
    $("banner").textContent = text || "";
    $("banner").hidden = !text;
  }

  // -- views -------------------------------------------------------------------------------
  function setView(view) {
    state.view = view;
    document.body.dataset.view = view;
    const chatLike = view === "chat" || view === "citizen" || view === "group";
    document.querySelectorAll(".tab").forEach((tab) => {
      const selected =
        tab.dataset.view === view || (tab.dataset.view === "chat" && chatLike && view !== "tickets");
      tab.setAttribute("aria-selected", String(selected));
      if (tab.dataset.view === view) tab.classList.remove("has-new");
    });
    if (view === "tickets") loadTickets();
    if (chatLike) {
      scrollDown("citizen", true);
      scrollDown("group", true);
    }
  }

  // -- rendering messages ------------------------------------------------------------------
  function timeOf(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return date.toLocaleTimeString(state.locale === "vi" ? "vi-VN" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Asia/Ho_Chi_Minh",
    });
  }

  function snippet(message) {
    if (!message) return "…";
    const div = document.createElement("div");
    div.innerHTML = message.html;
    const text = (div.textContent || "").replace(/\s+/g, " ").trim();
    if (text) return text.length > 90 ? `${text.slice(0, 90)}…` : text;
    if (message.attachments.length) return `🖼 ${t("web-photo")}`;
    return "…";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderMessage(paneName, m) {
    const pane = state.panes[paneName];
    const li = el("li", `msg ${m.author}`);
    li.dataset.id = String(m.id);
    li.id = `${paneName}-msg-${m.id}`;
    const bubble = el("div", "bubble");
    li.append(bubble);
    if (paneName === "group" && m.author === "user" && m.name) {
      bubble.append(el("div", "who", m.name));
    }
    if (m.reply_to) {
      const quoted = pane.messages.get(m.reply_to);
      const quote = el("button", "quote", snippet(quoted));
      quote.type = "button";
      quote.addEventListener("click", () => {
        const target = $(`${paneName}-msg-${m.reply_to}`);
        if (target) {
          target.scrollIntoView({ behavior: "smooth", block: "center" });
          target.classList.add("flash");
          setTimeout(() => target.classList.remove("flash"), 1200);
        }
      });
      bubble.append(quote);
    }
    for (const file of m.attachments) {
      if (file.url && file.kind === "photo") {
        const link = el("a", "photo");
        link.href = file.url;
        link.target = "_blank";
        link.rel = "noopener";
        const img = el("img");
        img.src = file.url;
        img.alt = t("web-photo");
        img.loading = "lazy";
        img.addEventListener("load", () => scrollDown(paneName));
        link.append(img);
        bubble.append(link);
      } else if (file.url) {
        const link = el("a", "document", `📄 ${t("web-document")}`);
        link.href = file.url;
        link.target = "_blank";
        link.rel = "noopener";
        bubble.append(link);
      } else {
        bubble.append(el("div", "elsewhere", `📎 ${t("web-file-elsewhere")}`));
      }
      if (file.caption) {
        const caption = el("div", "text");
        caption.innerHTML = file.caption;
        bubble.append(caption);
      }
    }
    if (m.html) {
      const text = el("div", "text");
      text.innerHTML = m.html; // sanitised by the server
      bubble.append(text);
    }
    if (m.location) {
      bubble.append(el("div", "shared", `📍 ${t("web-shared-location")}: ${m.location[0]}, ${m.location[1]}`));
    }
    if (m.contact) {
      bubble.append(el("div", "shared", `📞 ${t("web-shared-contact")}: ${m.contact}`));
    }
    const meta = el("div", "meta");
    if (m.edited) meta.append(el("span", "edited", t("web-edited")));
    meta.append(el("time", "", timeOf(m.at)));
    bubble.append(meta);
    if (m.choices.length) {
      const choices = el("div", "choices");
      for (const row of m.choices) {
        const line = el("div", "choice-row");
        for (const choice of row) {
          const button = el("button", "choice", choice.label);
          button.type = "button";
          button.addEventListener("click", () => press(paneName, m.id, choice.data, button));
          line.append(button);
        }
        choices.append(line);
      }
      li.append(choices);
    }
    if (paneName === "group") {
      const reply = el("button", "reply-button", `↩ ${t("web-reply")}`);
      reply.type = "button";
      reply.setAttribute("aria-label", `${t("web-reply")}: ${snippet(m)}`);
      reply.addEventListener("click", () => setReplyTo(m.id));
      li.append(reply);
    }
    return li;
  }

  function upsert(paneName, m, { scroll = true } = {}) {
    const pane = state.panes[paneName];
    const nearBottom = isNearBottom(paneName);
    pane.messages.set(m.id, m);
    const node = renderMessage(paneName, m);
    const old = pane.list.querySelector(`li[data-id="${m.id}"]`);
    if (old) {
      old.replaceWith(node);
    } else {
      let next = null;
      for (const child of pane.list.children) {
        if (Number(child.dataset.id) > m.id) {
          next = child;
          break;
        }
      }
      pane.list.insertBefore(node, next);
      if (scroll) scrollDown(paneName, nearBottom || m.author === "user");
      markNew(paneName);
    }
    afterChange(paneName, m);
  }

  function renderPane(paneName) {
    const pane = state.panes[paneName];
    pane.list.replaceChildren(
      ...[...pane.messages.values()].sort((a, b) => a.id - b.id).map((m) => renderMessage(paneName, m)),
    );
    afterChange(paneName, null);
    scrollDown(paneName, true);
  }

  function afterChange(paneName, m) {
    if (paneName === "citizen") {
      $("citizen-start").hidden = state.panes.citizen.messages.size > 0;
      updateKeyboard();
      if (m && m.author === "bot" && m.force_reply) $("citizen-text").focus();
    } else {
      $("group-empty").hidden = state.panes.group.messages.size > 0 || !state.boot?.groups_here;
      if (m && state.forceReplyIds.has(m.id)) applyForceReply(m);
      if (state.replyTo) showReplyTo();
    }
  }

  function isNearBottom(paneName) {
    const list = state.panes[paneName].list;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
  }

  function scrollDown(paneName, force = false) {
    const list = state.panes[paneName].list;
    if (force || isNearBottom(paneName)) list.scrollTop = list.scrollHeight;
  }

  function markNew(paneName) {
    const wide = window.matchMedia("(min-width: 900px)").matches;
    if (wide || state.view === paneName) return;
    const tab = document.querySelector(`.tab[data-view="${paneName}"]`);
    if (tab) tab.classList.add("has-new");
  }

  // -- the citizen's keyboard (share my phone, share my location) -----------------------------
  function updateKeyboard() {
    const keyboard = $("citizen-keyboard");
    const messages = [...state.panes.citizen.messages.values()].sort((a, b) => b.id - a.id);
    let keys = null;
    for (const m of messages) {
      // Like Telegram's one-time keyboard: gone once used, or when the bot removes it.
      if (m.author === "user" && (m.contact || m.location)) break;
      if (m.author !== "bot") continue;
      if (m.remove_keyboard) break;
      if (m.request_contact || m.request_location) {
        keys = m;
        break;
      }
    }
    keyboard.replaceChildren();
    if (keys && keys.request_contact) {
      const button = el("button", "key", `📞 ${keys.request_contact}`);
      button.type = "button";
      button.addEventListener("click", () => {
        $("phone-form").hidden = false;
        $("phone-input").focus();
      });
      keyboard.append(button);
    }
    if (keys && keys.request_location) {
      const button = el("button", "key", `📍 ${keys.request_location}`);
      button.type = "button";
      button.addEventListener("click", openLocation);
      keyboard.append(button);
    }
    keyboard.hidden = !keys;
    if (!keys || !keys.request_contact) $("phone-form").hidden = true;
  }

  // -- the group's reply-to ----------------------------------------------------------------
  function setReplyTo(id) {
    state.replyTo = id;
    showReplyTo();
    $("group-text").focus();
  }

  function showReplyTo() {
    const message = state.panes.group.messages.get(state.replyTo);
    $("group-replying").hidden = !state.replyTo;
    $("group-replying-text").textContent = snippet(message);
    $("group-text").placeholder = t(state.replyTo ? "web-type-answer" : "web-type-message");
  }

  function clearReplyTo() {
    state.replyTo = null;
    showReplyTo();
  }

  function applyForceReply(m) {
    // The bot asked this officer for a text (an answer, a reason): answer that prompt.
    state.forceReplyIds.delete(m.id);
    setReplyTo(m.id);
  }

  // -- sending -----------------------------------------------------------------------------
  function body(paneName, fields) {
    const base = { nonce: nonce(), locale: state.locale, ...fields };
    if (paneName === "group") Object.assign(base, { unit: state.unit, officer: state.officer });
    return base;
  }

  async function post(paneName, fields, file) {
    const path = paneName === "group" ? "/web/api/group" : "/web/api/citizen";
    const data = body(paneName, fields);
    let result;
    if (file) {
      const form = new FormData();
      for (const [key, value] of Object.entries(data)) {
        if (value !== null && value !== undefined) form.append(key, String(value));
      }
      form.append("file", file);
      result = await api(path, { form });
    } else {
      result = await api(path, { json: data });
    }
    if (result.alert) toast(result.alert, result.alert_is_error);
    if (paneName === "group") {
      for (const id of result.messages) {
        const m = state.panes.group.messages.get(id);
        if (m && m.force_reply) applyForceReply(m);
        else state.forceReplyIds.add(id);
      }
    }
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN) await loadHistory();
    return result;
  }

  async function press(paneName, messageId, data, button) {
    button.disabled = true;
    try {
      await post(paneName, { choice: data, message_id: messageId });
    } catch (error) {
      toast(t("web-send-failed"), true);
    } finally {
      button.disabled = false;
    }
  }

  async function sendText(paneName) {
    const box = $(`${paneName}-text`);
    const text = box.value.trim();
    if (!text) return;
    box.value = "";
    autoGrow(box);
    const fields = { text };
    if (paneName === "group" && state.replyTo) fields.reply_to = state.replyTo;
    try {
      await post(paneName, fields);
      if (paneName === "group") clearReplyTo();
    } catch (error) {
      box.value = text;
      toast(t("web-send-failed"), true);
    }
  }

  async function sendFile(paneName, input) {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    const box = $(`${paneName}-text`);
    const fields = { text: box.value.trim() };
    if (paneName === "group" && state.replyTo) fields.reply_to = state.replyTo;
    try {
      await post(paneName, fields, file);
      box.value = "";
      if (paneName === "group") clearReplyTo();
    } catch (error) {
      toast(t(error.status === 400 || error.status === 413 ? "web-upload-failed" : "web-send-failed"), true);
    }
  }

  function autoGrow(box) {
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
  }

  // -- location ----------------------------------------------------------------------------
  function openLocation() {
    $("location-error").hidden = true;
    $("location-dialog").showModal();
  }

  function fillCommunes() {
    const list = $("commune-list");
    list.replaceChildren();
    for (const commune of state.boot.communes) {
      const button = el("button", "commune", commune.name);
      button.type = "button";
      button.addEventListener("click", () => {
        $("lat").value = String(commune.lat);
        $("lon").value = String(commune.lon);
        list.querySelectorAll(".commune").forEach((b) => b.classList.toggle("picked", b === button));
      });
      list.append(button);
    }
    const here = $("location-here");
    here.hidden = !(window.isSecureContext && navigator.geolocation);
    here.onclick = () =>
      navigator.geolocation.getCurrentPosition((position) => {
        $("lat").value = position.coords.latitude.toFixed(5);
        $("lon").value = position.coords.longitude.toFixed(5);
      });
  }

  async function sendLocation(event) {
    const dialog = $("location-dialog");
    if (event.submitter && event.submitter.value !== "send") return;
    event.preventDefault();
    const lat = Number(String($("lat").value).replace(",", "."));
    const lon = Number(String($("lon").value).replace(",", "."));
    const valid = $("lat").value !== "" && $("lon").value !== "" && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    if (!valid || Number.isNaN(lat) || Number.isNaN(lon)) {
      $("location-error").hidden = false;
      return;
    }
    dialog.close();
    try {
      await post("citizen", { lat, lon });
    } catch (error) {
      toast(t("web-send-failed"), true);
    }
  }

  // -- units and officers --------------------------------------------------------------------
  function fillUnits() {
    const select = $("unit-select");
    select.replaceChildren(
      ...state.boot.units.map((unit) => {
        const option = el("option", "", unit.name);
        option.value = unit.id;
        return option;
      }),
    );
    const saved = localStorage.getItem("nghedan-unit");
    state.unit = state.boot.units.some((u) => u.id === saved) ? saved : state.boot.units[0]?.id;
    select.value = state.unit;
    fillOfficers();
  }

  function fillOfficers() {
    if (!state.boot) return;
    const unit = state.boot.units.find((u) => u.id === state.unit);
    const select = $("officer-select");
    const officers = unit ? unit.officers : [];
    select.replaceChildren(
      ...officers.map((officer) => {
        const label = `${t("web-officer")} ${officer.id}${officer.head ? ` (${t("web-head")})` : ""}`;
        const option = el("option", "", label);
        option.value = String(officer.id);
        return option;
      }),
    );
    const saved = localStorage.getItem(`nghedan-officer-${state.unit}`);
    const ids = officers.map((o) => String(o.id));
    state.officer = ids.includes(saved) ? saved : ids[0];
    select.value = state.officer;
  }

  async function changeUnit(unitId) {
    state.unit = unitId;
    localStorage.setItem("nghedan-unit", unitId);
    fillOfficers();
    clearReplyTo();
    state.panes.group.messages.clear();
    await loadHistory();
    connect();
  }

  // -- history and push ----------------------------------------------------------------------
  async function loadHistory() {
    const history = await api(`/web/api/history?unit=${encodeURIComponent(state.unit || "")}`);
    for (const paneName of ["citizen", "group"]) {
      const pane = state.panes[paneName];
      pane.messages.clear();
      for (const m of history[paneName]) pane.messages.set(m.id, m);
      renderPane(paneName);
    }
  }

  function connect() {
    if (state.socket) {
      state.socket.onclose = null;
      state.socket.close();
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/web/ws?unit=${encodeURIComponent(state.unit || "")}`);
    state.socket = socket;
    socket.onopen = async () => {
      state.retry = 1000;
      banner("");
      await loadHistory(); // whatever arrived while disconnected
    };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "message") {
        const m = data.message;
        const paneName = m.chat === state.boot.citizen_chat ? "citizen" : "group";
        if (paneName === "citizen" && m.author === "bot") $("citizen-typing").hidden = true;
        upsert(paneName, m);
      } else if (data.type === "typing" && data.chat === state.boot.citizen_chat) {
        const typing = $("citizen-typing");
        typing.hidden = false;
        clearTimeout(state.typingTimer);
        state.typingTimer = setTimeout(() => (typing.hidden = true), 4000);
      }
      if (state.view === "tickets") {
        clearTimeout(state.ticketsTimer);
        state.ticketsTimer = setTimeout(loadTickets, 400);
      }
    };
    socket.onclose = () => {
      banner(t("web-connection-lost"));
      setTimeout(connect, state.retry);
      state.retry = Math.min(state.retry * 2, 10000);
    };
  }

  // -- tickets tab ---------------------------------------------------------------------------
  async function loadTickets() {
    let rows;
    try {
      rows = await api("/web/api/tickets");
    } catch (error) {
      toast(t("web-send-failed"), true);
      return;
    }
    const body = $("tickets-table").querySelector("tbody");
    body.replaceChildren(
      ...rows.map((row) => {
        const tr = el("tr", row.overdue ? "overdue" : "");
        const code = el("td", "code");
        code.append(el("b", "", row.code));
        if (row.mine) code.append(" ", el("span", "tag mine", t("web-mine")));
        const status = el("td", "", t(`status-${row.status}`));
        if (row.overdue) status.append(" ", el("span", "tag overdue", t("web-overdue")));
        const pending = row.pending_due;
        const due = (value) => {
          const td = el("td", "", value || "—");
          if (value && value === pending) td.classList.add("pending");
          return td;
        };
        tr.append(
          code,
          el("td", "", t(`kind-${row.kind}`)),
          status,
          el("td", "", row.unit),
          el("td", "", row.received),
          due(row.decision_due),
          due(row.resolution_due),
        );
        return tr;
      }),
    );
    $("tickets-empty").hidden = rows.length > 0;
    $("tickets-table").hidden = rows.length === 0;
  }

  // -- start -------------------------------------------------------------------------------
  function wire() {
    document.querySelectorAll(".tab").forEach((tab) => {
      tab.addEventListener("click", () => setView(tab.dataset.view));
    });
    document.querySelectorAll("[data-locale]").forEach((button) => {
      button.addEventListener("click", () => setLocale(button.dataset.locale));
    });
    for (const paneName of ["citizen", "group"]) {
      const form = $(`${paneName}-form`);
      const box = $(`${paneName}-text`);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        sendText(paneName);
      });
      box.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          sendText(paneName);
        }
      });
      box.addEventListener("input", () => autoGrow(box));
      $(`${paneName}-attach`).addEventListener("click", () => $(`${paneName}-file`).click());
      $(`${paneName}-file`).addEventListener("change", (event) => sendFile(paneName, event.target));
    }
    $("start-button").addEventListener("click", async () => {
      try {
        await post("citizen", { text: "/start" });
      } catch (error) {
        toast(t("web-send-failed"), true);
      }
    });
    $("citizen-location").addEventListener("click", openLocation);
    $("location-form").addEventListener("submit", sendLocation);
    $("phone-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const phone = $("phone-input").value.trim();
      if (!phone) return;
      try {
        await post("citizen", { contact: phone });
        $("phone-input").value = "";
        $("phone-form").hidden = true;
      } catch (error) {
        toast(t("web-send-failed"), true);
      }
    });
    $("group-reply-cancel").addEventListener("click", clearReplyTo);
    $("unit-select").addEventListener("change", (event) => changeUnit(event.target.value));
    $("officer-select").addEventListener("change", (event) => {
      state.officer = event.target.value;
      localStorage.setItem(`nghedan-officer-${state.unit}`, state.officer);
    });
    $("new-citizen").addEventListener("click", async () => {
      if (!window.confirm(t("web-new-citizen-confirm"))) return;
      await api("/web/api/session", { json: {} });
      state.boot = await api("/web/api/bootstrap");
      await loadHistory();
      connect();
    });
    $("tickets-refresh").addEventListener("click", loadTickets);
  }

  async function main() {
    wire();
    state.boot = await api("/web/api/bootstrap");
    const saved = localStorage.getItem("nghedan-locale");
    const locale = state.boot.locales.includes(saved) ? saved : state.boot.default_locale;
    fillUnits();
    fillCommunes();
    $("group-elsewhere").hidden = state.boot.groups_here;
    document.body.classList.toggle("groups-elsewhere", !state.boot.groups_here);
    await setLocale(locale);
    setView("chat");
    await loadHistory();
    connect();
    document.body.dataset.ready = "1"; // for tests: the page is wired and connected
  }

  main().catch((error) => {
    console.error(error);
    banner(`${t("web-send-failed")} (${error.message})`);
  });
})();
