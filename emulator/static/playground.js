// The playground page: one phone per person, polling the emulator for each chat.
"use strict";

const phones = new Map(); // user id -> {root, seen}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

function say(text) { document.getElementById("status").textContent = text; }

function renderMessage(userId, message) {
  const item = document.createElement("li");
  item.className = message.from_bot ? "bot" : "me";
  item.dataset.id = message.id;
  if (message.photo) {
    const image = document.createElement("img");
    image.src = `/api/file/${encodeURIComponent(message.photo)}?name=photo.png`;
    image.alt = message.from_bot ? "Picture from the bot" : "Picture you sent";
    item.append(image);
  }
  const body = document.createElement("div");
  body.innerHTML = message.html; // built and escaped by the server from Telegram entities
  item.append(body);
  if (message.file) {
    const link = document.createElement("a");
    link.href = `/api/file/${encodeURIComponent(message.file.id)}?name=${encodeURIComponent(message.file.name)}`;
    link.textContent = `⬇ Download ${message.file.name}`;
    link.download = message.file.name;
    item.append(link);
  }
  if (message.buttons.length) {
    const keyboard = document.createElement("div");
    keyboard.className = "keyboard";
    for (const row of message.buttons) {
      const line = document.createElement("div");
      line.className = "row";
      for (const button of row) {
        if (button.url) {
          const link = document.createElement("a");
          link.href = button.url; link.textContent = button.text; link.target = "_blank"; link.rel = "noopener";
          line.append(link);
        } else {
          const tap = document.createElement("button");
          tap.type = "button"; tap.textContent = button.text;
          tap.addEventListener("click", () => act(userId, `/api/chat/${userId}/tap`,
            {message_id: message.id, data: button.data}));
          line.append(tap);
        }
      }
      keyboard.append(line);
    }
    item.append(keyboard);
  }
  return item;
}

async function refresh(userId) {
  const phone = phones.get(userId);
  const chat = await api(`/api/chat/${userId}`);
  const list = phone.root.querySelector(".messages");
  const signature = JSON.stringify(chat.messages);
  if (signature === phone.seen) return;
  phone.seen = signature;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...chat.messages.map((m) => renderMessage(userId, m)));
  const reply = phone.root.querySelector(".reply-keyboard");
  reply.replaceChildren();
  for (const row of (chat.reply_keyboard && chat.reply_keyboard.keyboard) || []) {
    for (const key of row) {
      const button = document.createElement("button");
      const label = typeof key === "string" ? key : key.text;
      button.type = "button"; button.textContent = label;
      button.addEventListener("click", () => act(userId, `/api/chat/${userId}/send`, {text: label}));
      reply.append(button);
    }
  }
  if (atBottom || phone.first) { list.scrollTop = list.scrollHeight; phone.first = false; }
}

async function act(userId, path, payload, isForm = false) {
  const phone = phones.get(userId);
  const typing = phone.root.querySelector(".typing");
  typing.hidden = false;
  try {
    const result = await api(path, isForm ? {method: "POST", body: payload}
      : {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(payload)});
    if (result.answer) say(result.answer);
  } catch (error) {
    say(`Could not send: ${error.message}`);
  } finally {
    typing.hidden = true;
    await refresh(userId);
  }
}

function addPhone(person) {
  const root = document.getElementById("phone-template").content.firstElementChild.cloneNode(true);
  const headingId = `who-${person.user_id}`;
  root.id = `phone-${person.user_id}`;
  root.setAttribute("aria-labelledby", headingId);
  const heading = root.querySelector(".who");
  heading.id = headingId;
  heading.textContent = `${person.name} – ${person.role} (${person.language})`;
  const input = root.querySelector(".composer input");
  input.id = `text-${person.user_id}`;
  root.querySelector(".composer label").htmlFor = input.id;
  root.querySelector(".composer label").textContent = `Message to the bot as ${person.name}`;
  root.querySelector(".composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    act(person.user_id, `/api/chat/${person.user_id}/send`, {text});
  });
  root.querySelector(".uploader input").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    act(person.user_id, `/api/chat/${person.user_id}/upload`, form, true);
    event.target.value = "";
  });
  document.getElementById("phones").append(root);
  const link = document.createElement("a");
  link.href = `#${root.id}`; link.textContent = person.name;
  document.getElementById("people-nav").append(link);
  phones.set(person.user_id, {root, seen: "", first: true});
}

async function start() {
  const people = await api("/api/people");
  people.forEach(addPhone);
  await Promise.all(people.map((p) => refresh(p.user_id)));
  setInterval(() => people.forEach((p) => refresh(p.user_id).catch(() => {})), 1500);
  document.getElementById("reset").addEventListener("click", async () => {
    say("Resetting the demo…");
    await api("/api/reset", {method: "POST"});
    phones.forEach((phone) => { phone.seen = ""; phone.first = true; });
    await Promise.all(people.map((p) => refresh(p.user_id)));
    say("The demo is fresh again.");
  });
}

start().catch((error) => say(`The playground could not start: ${error.message}`));
