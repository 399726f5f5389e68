/* Evidence in the margin without holes in the text.
 *
 * Without this script (or on narrow screens) each passage is a grid row: its evidence
 * sits beside it, and a card taller than its paragraph pushes the next paragraph down.
 * With it, on wide screens, the text runs on as one column and each passage's evidence
 * is placed in the margin level with its paragraph, or just below the card before it
 * when they would meet; the article grows at the end if the last cards run past it.
 */
(function () {
  "use strict";
  var article = document.querySelector(".article-text");
  if (!article || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 68rem)");
  var GAP = 12; // px between stacked cards
  var scheduled = false;

  function reset(passages) {
    article.classList.remove("margin-flow");
    article.style.paddingBottom = "";
    passages.forEach(function (passage) {
      passage.querySelector(".passage-notes").style.top = "";
    });
  }

  function layout() {
    scheduled = false;
    var passages = Array.prototype.slice.call(article.querySelectorAll(".passage"));
    if (!wide.matches) return reset(passages);
    article.classList.add("margin-flow");
    article.style.paddingBottom = "";
    var origin = article.getBoundingClientRect().top;
    var floor = -Infinity;
    passages.forEach(function (passage) {
      var notes = passage.querySelector(".passage-notes");
      var top = passage.getBoundingClientRect().top - origin;
      var at = Math.max(top, floor);
      notes.style.top = at - top + "px";
      floor = at + notes.offsetHeight + GAP;
    });
    var overhang = floor - GAP - article.getBoundingClientRect().height;
    if (overhang > 0) article.style.paddingBottom = overhang + "px";
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(layout);
  }

  layout();
  window.addEventListener("resize", schedule);
  window.addEventListener("load", schedule);
  if (wide.addEventListener) wide.addEventListener("change", schedule);
  if (window.ResizeObserver) new ResizeObserver(schedule).observe(article);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(schedule);
})();
