// The return form keeps what is typed, a couple of seconds after each change, as the person's
// own unsaved text (reporting/returns/autosave_views.py); Save draft still saves the return. The
// form works the same without this script. Once the server answers with a problem (someone else
// has saved the return, another window kept newer text, the person was signed out) nothing more
// is sent: the message says what to do, and Save draft shows the conflict, never overwriting.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave-url]");
  const status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch) {
    return;
  }
  const delay = Number(form.dataset.autosaveDelay || 2000);
  let revision = form.dataset.draftRevision || "";
  let timer = null;
  let sending = false;
  let changedMeanwhile = false;
  let stopped = false;

  const say = (text, problem = false) => {
    status.textContent = text;
    status.classList.toggle("save-status--problem", problem);
  };

  const send = async () => {
    if (stopped) {
      return;
    }
    if (sending) {
      changedMeanwhile = true;
      return;
    }
    sending = true;
    const data = new FormData(form);
    data.delete("intent");
    if (revision) {
      data.set("draft_revision", revision);
    }
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const answer = await response.json();
      if (response.ok) {
        revision = String(answer.revision);
        say(
          interpolate(
            gettext("Changes kept at %(time)s. Press Save draft to save them in the return."),
            { time: answer.kept_at },
            true,
          ),
        );
      } else if (response.status === 401) {
        stopped = true;
        say(
          answer.kept
            ? gettext(
                "You have been signed out. What you typed is kept: press Save draft and sign in again, and it will be saved.",
              )
            : gettext("You have been signed out. Press Save draft and sign in again to save your changes."),
          true,
        );
      } else {
        stopped = true;
        say(answer.problem || gettext("Your changes could not be kept automatically. Press Save draft."), true);
      }
    } catch {
      say(gettext("Your latest changes couldn't be kept just now. They will be tried again as you type."), true);
    }
    sending = false;
    if (changedMeanwhile) {
      changedMeanwhile = false;
      schedule();
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(send, delay);
  };

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // Text typed while the page was still loading, before these listeners were attached.
  const changed = (field) => {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return Array.from(field.options).some((option) => option.selected !== option.defaultSelected);
    }
    return "defaultValue" in field && field.type !== "hidden" && field.value !== field.defaultValue;
  };
  const typedEarly = Array.from(form.elements).some(changed);
  if (typedEarly) {
    schedule();
  }
  form.addEventListener("submit", () => {
    stopped = true;
    clearTimeout(timer);
  });
});
