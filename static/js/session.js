// A warning before the signed-in session expires, with a button to stay signed in (WCAG 2.2.1,
// Timing Adjustable), and a notice once it has. The page carries the seconds left
// (data-session-seconds-left, from core/sessions.py); before warning, the server is asked
// again, since another window may have kept the session going.
document.addEventListener("DOMContentLoaded", () => {
  const body = document.body;
  if (!body.dataset.sessionSecondsLeft || !window.fetch) {
    return;
  }
  const warnFor = Number(body.dataset.sessionWarningSeconds) * 1000;
  let expiresAt = Date.now() + Number(body.dataset.sessionSecondsLeft) * 1000;
  let timer = null;
  let banner = null;

  const clock = (moment) =>
    new Date(moment).toLocaleTimeString("en-NZ", { hour: "numeric", minute: "2-digit" });
  const token = () => document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

  const ask = async (method) => {
    const response = await fetch(body.dataset.sessionUrl, {
      method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token() },
    });
    return response.json();
  };

  const show = (title, text, action) => {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "session-warning";
      banner.setAttribute("role", "alert");
      banner.setAttribute("aria-labelledby", "session-warning-title");
      document.body.append(banner);
    }
    banner.replaceChildren();
    const heading = document.createElement("h2");
    heading.id = "session-warning-title";
    heading.textContent = title;
    const paragraph = document.createElement("p");
    paragraph.textContent = text;
    banner.append(heading, paragraph, action);
  };

  const hide = () => {
    banner?.remove();
    banner = null;
  };

  const stayButton = () => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = gettext("Stay signed in");
    button.addEventListener("click", async () => {
      try {
        const answer = await ask("POST");
        if (answer.signed_in) {
          expiresAt = Date.now() + answer.seconds_left * 1000;
          hide();
          schedule();
          return;
        }
      } catch {
        // fall through to the check, which says what happened
      }
      check();
    });
    return button;
  };

  const signedOut = () => {
    const link = document.createElement("a");
    link.className = "button";
    link.href = body.dataset.signInUrl;
    link.textContent = gettext("Sign in again");
    show(
      gettext("You have been signed out"),
      gettext(
        "For security, sessions end after a while. Anything you typed into a return and pressed Save draft on is kept, and saved once you sign in again.",
      ),
      link,
    );
  };

  const check = async () => {
    let answer = null;
    try {
      answer = await ask("GET");
    } catch {
      timer = setTimeout(check, 30_000); // no answer: try again shortly
      return;
    }
    if (!answer.signed_in) {
      signedOut();
      return;
    }
    expiresAt = Date.now() + answer.seconds_left * 1000;
    if (answer.seconds_left * 1000 > warnFor) {
      hide();
      schedule();
      return;
    }
    show(
      gettext("You will be signed out soon"),
      interpolate(
        gettext("For security, you will be signed out at %(time)s. Press Stay signed in to carry on."),
        { time: clock(expiresAt) },
        true,
      ),
      stayButton(),
    );
    timer = setTimeout(check, Math.max(1000, expiresAt - Date.now() + 1000));
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, expiresAt - warnFor - Date.now()));
  };

  schedule();
});
