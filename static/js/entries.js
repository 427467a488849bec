// From a mentor's or a participant's form to an event and back. The fields and the rules
// are the ones the server reads from the same form without JavaScript
// (mentorapp/mentor/entries.py, mentorapp/participant/entries.py), so an entry is the
// same whichever way it travels.

const NOT_AT_WORK = ["absent", "day_off"];
const PER_DAY = ["mastery", "social", "wellbeing", "tasks"];
const TASK_SPLIT = /[,\n;]+/;
export const MAX_TASKS = 12;
export const MAX_TASK_LENGTH = 60;

export function newId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// "Today" is the phone's date in Oslo, where every workplace in the app is: a page kept
// from yesterday still says how today went.
export function osloToday() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Oslo" }).format(new Date());
}

export function occurredAt(offsetMs = 0) {
  return new Date(Date.now() + offsetMs).toISOString();
}

function reader(form) {
  const data = new FormData(form);
  const text = (name) => String(data.get(name) ?? "").replace(/\r\n/g, "\n").trim();
  const int = (name) => {
    const value = text(name);
    return value === "" ? null : Number.parseInt(value, 10);
  };
  return { data, text, int };
}

export function tasksOf(form) {
  const { data, text } = reader(form);
  const chosen = data.getAll("tasks").map((t) => String(t).trim()).filter(Boolean);
  const written = text("tasks_other").split(TASK_SPLIT).map((t) => t.trim()).filter(Boolean);
  const tasks = [];
  for (const task of [...chosen, ...written]) {
    if (!tasks.some((t) => t.toLocaleLowerCase() === task.toLocaleLowerCase())) tasks.push(task);
  }
  return tasks;
}

function withoutEmpty(payload) {
  return Object.fromEntries(Object.entries(payload).filter(([, value]) =>
    value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && !value.length)));
}

export function payloadOf(type, form) {
  const { data, text, int } = reader(form);
  if (type === "daily_log") {
    const payload = {
      date: text("date"), attendance: text("attendance"), mastery: int("mastery"),
      social: int("social"), wellbeing: int("wellbeing"), tasks: tasksOf(form),
      minutes: int("minutes"), note: text("note"),
    };
    // The mentor's choice, shown on the form: a log is visible to the participant unless
    // the box is unticked. Sent only when it says "not visible" (missing means visible).
    const visibility = form.elements.namedItem("visible_to_participant");
    if (visibility && visibility.type === "checkbox" && !visibility.checked) payload.visible_to_participant = false;
    if (NOT_AT_WORK.includes(payload.attendance)) PER_DAY.forEach((name) => delete payload[name]);
    return withoutEmpty(payload);
  }
  if (type === "flag") {
    return withoutEmpty({ category: text("category"), severity: text("severity"), note: text("note") });
  }
  if (type === "call_request") {
    const windows = [...new Set(data.getAll("windows").map(String).filter(Boolean))];
    return withoutEmpty({ urgency: text("urgency"), windows, phone: text("phone"), topic: text("topic") });
  }
  if (type === "time") {
    return withoutEmpty({ date: text("date"), minutes: int("minutes"), note: text("note") });
  }
  if (type === "comment") return { text: text("text") };
  if (type === "participant_checkin") {
    return withoutEmpty({ period: text("period"), date: osloToday(), mood: int("mood"), text: text("text") });
  }
  if (type === "participant_goals") return { text: text("text") };
  if (type === "talk_request") return withoutEmpty({ text: text("text") });
  throw new Error(`unknown entry type ${type}`);
}

// The checks the browser cannot make from attributes alone. Returns false (and shows the
// message beside the field) when the form must not be saved yet.
export function checkTasks(form, texts) {
  const field = form.elements.namedItem("tasks_other");
  if (!field) return true;
  const tasks = tasksOf(form);
  let message = "";
  if (tasks.some((t) => t.length > MAX_TASK_LENGTH)) message = texts.task_too_long;
  else if (tasks.length > MAX_TASKS) message = texts.too_many_tasks;
  field.setCustomValidity(message);
  if (message) {
    field.reportValidity();
    return false;
  }
  return true;
}

// What the outbox shows of an entry: the form's own words (already in the mentor's
// language), so that nothing needs translating later.
export function summaryOf(form, type, payload) {
  const lines = [];
  const lang = document.documentElement.lang || "nb";
  if (payload.date) {
    const [year, month, day] = payload.date.split("-").map(Number);
    lines.push(new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short" })
      .format(new Date(year, month - 1, day)));
  }
  const chosen = [];
  for (const input of form.querySelectorAll("input[type=radio]:checked, input[type=checkbox]:checked")) {
    if (!input.value || input.closest("[hidden]")) continue;
    const label = form.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (label) chosen.push(label.textContent.trim());
  }
  if (type === "daily_log") {
    const extra = tasksOf(form).filter((t) => !chosen.includes(t));
    chosen.push(...extra);
  }
  if (chosen.length) lines.push(chosen.join(" · "));
  if (payload.minutes !== undefined) lines.push(`${payload.minutes} min`);
  for (const name of ["phone", "note", "topic", "text"]) {
    const value = payload[name];
    if (value) lines.push(value.length > 120 ? `${value.slice(0, 119)}…` : value);
  }
  return { title: form.dataset.title || type, lines };
}

// Puts an entry's values back into its form (to change a rejected entry, or to show the
// log of a day that was logged already).
export function fill(form, type, payload) {
  const tasks = new Set(payload.tasks || []);
  for (const element of form.elements) {
    const { name } = element;
    if (!name || name === "csrf_token" || name === "event_id") continue;
    if (element.type === "radio") {
      element.checked = String(payload[name] ?? "") === element.value;
    } else if (name === "visible_to_participant") {
      element.checked = payload.visible_to_participant !== false;
    } else if (element.type === "checkbox") {
      const values = name === "tasks" ? tasks : new Set(payload[name] || []);
      element.checked = values.has(element.value);
      if (name === "tasks" && element.checked) tasks.delete(element.value);
    } else if (name !== "tasks_other" && element.tagName !== "BUTTON") {
      element.value = payload[name] ?? "";
    }
  }
  const other = form.elements.namedItem("tasks_other");
  if (other) other.value = [...tasks].join(", ");
}
