// The highlight report form keeps what is typed:
// - autosave: a few seconds after the lead stops typing, the draft is saved through the same
//   service and the same optimistic lock as "Save draft" ("Saved at 10:42"). A save by another
//   tab or person is reported and never overwritten: autosave stops until the page is reloaded;
// - a warning before leaving the page with changes that are not saved;
// - running totals of the funding sources, worked out by the server from what is typed (the
//   server stays the source of every figure) and shown as the lead types.
// Without this script the form works as before: "Save draft" and "Save and check your answers".

const AUTOSAVE_AFTER_MS = 3000;
const TOTALS_AFTER_MS = 400;

function debounce(wait, action) {
  let timer = null;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(action, wait);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

function enhance(form) {
  const status = document.getElementById("autosave-status");
  const conflict = document.getElementById("autosave-conflict");
  const totals = document.querySelector("[data-finance-totals]");
  const version = form.querySelector('input[name="version"]');
  let dirty = false; // changed since the last save
  let stopped = false; // a conflict: never overwrite someone else's save
  let leaving = false; // the form itself is being submitted
  let saving = null;

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const payload = (action) => {
    const data = new FormData(form);
    data.set("action", action);
    return data;
  };

  const autosave = async () => {
    if (stopped || !dirty || leaving) return;
    if (saving) {
      await saving; // one save at a time: the next one carries the version this one gets
      if (!dirty) return;
    }
    dirty = false;
    say("Saving…");
    saving = fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: payload("autosave"),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(async (response) => {
        let answer = {};
        try {
          answer = await response.json();
        } catch {
          answer = {};
        }
        if (response.ok) {
          version.value = String(answer.version);
          say(`Saved at ${answer.saved_at}`);
          return;
        }
        dirty = true; // what was typed is still only in the page
        if (response.status === 409) {
          stopped = true;
          say("Not saved");
          if (conflict) {
            conflict.querySelector("[data-conflict-message]").textContent = answer.message || "";
            conflict.hidden = false;
            conflict.focus();
          }
        } else if (response.status === 400) {
          say(`Not saved yet: ${answer.message || "some answers need correcting"}`);
        } else {
          say("Not saved: the draft could not be saved just now; it will be tried again.");
        }
      })
      .catch(() => {
        dirty = true;
        say("Not saved: no connection. Your changes are still in this page.");
      })
      .finally(() => {
        saving = null;
      });
    await saving;
  };
  const later = debounce(AUTOSAVE_AFTER_MS, autosave);

  const refreshTotals = async () => {
    if (!totals || !form.dataset.totalsUrl) return;
    try {
      const response = await fetch(form.dataset.totalsUrl, {
        method: "POST",
        body: payload("totals"),
        credentials: "same-origin",
      });
      if (response.ok) totals.innerHTML = await response.text();
    } catch {
      // The saved totals stay on the page; they are worked out again on save.
    }
  };
  const totalsLater = debounce(TOTALS_AFTER_MS, refreshTotals);

  const changed = (event) => {
    dirty = true;
    if (!stopped) later();
    if (event.target.closest("#section-financial_lines")) totalsLater();
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Rows added or removed in the page change the totals too (report_form.js).
  form.addEventListener("click", (event) => {
    if (event.target.closest("#section-financial_lines .bc-remove-row")) {
      dirty = true;
      later();
      totalsLater();
    }
  });

  form.addEventListener("submit", () => {
    leaving = true;
    later.cancel();
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !leaving) {
      event.preventDefault();
      event.returnValue = ""; // the browser shows its own "Leave site?" question
    }
  });
  // Links on the page that leave it (breadcrumbs, "Change" of another section) ask too.
  say(status ? status.dataset.initial || "" : "");
}

const form = document.querySelector("form[data-autosave-url]");
if (form) enhance(form);
