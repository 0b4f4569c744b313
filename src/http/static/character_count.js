// A live character count for a text area carrying data-character-limit (the opinion form), and
// the print button of the receipt page. Without this script the limit is stated beside the box
// and the server refuses a longer text, keeping it, so nothing depends on it. Served from
// /static/ under the CSP script-src 'self'.
(function () {
  'use strict';

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function grouped(number) {
    return number.toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'ja-JP');
  }

  // Characters as the server counts them: code points, line breaks as one, ends trimmed.
  function countOf(text) {
    return Array.from(text.replace(/\r\n?/g, '\n').trim()).length;
  }

  document.querySelectorAll('textarea[data-character-limit]').forEach(function (area) {
    var limit = parseInt(area.getAttribute('data-character-limit'), 10);
    var shown = document.getElementById(area.getAttribute('data-count-id'));
    var spoken = document.getElementById(area.getAttribute('data-count-status-id'));
    if (!limit || !shown || !spoken) return;
    var timer = null;
    function update(announce) {
      var count = countOf(area.value);
      var over = count - limit;
      var template = area.getAttribute(over > 0 ? 'data-over-message' : 'data-count-message');
      var text = fill(template, { count: grouped(count), limit: grouped(limit), over: grouped(over) });
      shown.textContent = text;
      shown.classList.toggle('char-count-over', over > 0);
      if (over > 0) {
        area.setAttribute('aria-invalid', 'true');
      } else if (area.getAttribute('data-server-invalid') !== 'true') {
        area.removeAttribute('aria-invalid');
      }
      // Screen readers hear the count once typing pauses, not at every key.
      if (announce) {
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = text; }, 1000);
      }
    }
    if (area.getAttribute('aria-invalid') === 'true') area.setAttribute('data-server-invalid', 'true');
    shown.hidden = false;
    area.addEventListener('input', function () {
      area.removeAttribute('data-server-invalid');
      update(true);
    });
    update(false);
  });

  document.querySelectorAll('button[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
})();
