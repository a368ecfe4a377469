/* The lecture site's keys (tools/build_site.py copies this into every page).
   Left / Right arrow: the previous / next step (the links in .step-nav).
   D: the projector view, the diff alone in large type; D or Esc leaves it.
   The view is kept in the address (#projector) so that it survives the arrow
   keys, on file:// as well as over http. No network, no storage. */
(function () {
  "use strict";
  var root = document.documentElement;
  var diff = document.getElementById("diff");

  function link(which) {
    return document.querySelector('.step-nav-top a[data-key="' + which + '"]');
  }

  function projector() {
    return root.classList.contains("projector");
  }

  function setProjector(on) {
    if (!diff) return;
    root.classList.toggle("projector", on);
    var hash = on ? "#projector" : "";
    try {
      history.replaceState(null, "", location.pathname + location.search + hash);
    } catch (e) {
      /* some browsers refuse replaceState on file://: the view still toggles */
    }
    var buttons = document.querySelectorAll(".projector-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].textContent = on ? "Leave projector view (D)" : "Projector view (D)";
    }
    if (on) window.scrollTo(0, 0);
  }

  function go(which) {
    var a = link(which);
    if (!a) return false;
    var href = a.getAttribute("href").split("#")[0];
    window.location.href = href + (projector() ? "#projector" : "");
    return true;
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener(
    "keydown",
    function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
      var handled = false;
      if (event.key === "ArrowLeft") handled = go("prev");
      else if (event.key === "ArrowRight") handled = go("next");
      else if ((event.key === "d" || event.key === "D") && diff) {
        setProjector(!projector());
        handled = true;
      } else if (event.key === "Escape" && projector()) {
        setProjector(false);
        handled = true;
      }
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".projector-toggle") : null;
    if (button) setProjector(!projector());
  });

  if (location.hash === "#projector" && diff) setProjector(true);
})();
