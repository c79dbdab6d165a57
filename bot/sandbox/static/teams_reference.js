// Draws a card with Microsoft's Adaptive Cards renderer (npm `adaptivecards`, installed by run.sh) when
// its "Compare" panel is opened, so the sandbox's own drawing can be checked against the reference.
(function () {
  "use strict";
  if (!window.AdaptiveCards) return;

  function draw(out) {
    if (out.dataset.drawn) return;
    var card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: "Segoe UI, system-ui, sans-serif" });
    card.onExecuteAction = function () { /* the page's own buttons act; these only show */ };
    try {
      card.parse(JSON.parse(out.dataset.card));
      out.replaceChildren(card.render());
    } catch (err) {
      out.textContent = "Microsoft's renderer could not draw this card: " + err;
    }
    out.dataset.drawn = "1";
  }

  document.addEventListener("toggle", function (e) {
    var panel = e.target;
    if (panel.classList && panel.classList.contains("ac-reference") && panel.open) {
      draw(panel.querySelector(".ac-reference-out"));
    }
  }, true);
})();
