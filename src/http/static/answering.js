// Answering at speed in the staff console (the queue of a consultation and one item's page):
// a select-all checkbox in the queue's table, and single-key shortcuts — j and k to the next and
// previous item (on the queue, the next and previous row), a to approve. Without this script
// the queue has a "tick every item" link and the item page its previous and next links and
// buttons, so nothing depends on it. The shortcuts can be turned off (WCAG 2.1.4: the switch is
// remembered in this browser) and never act while typing in a field or with a modifier key.
// Served from /static/ under the CSP script-src 'self'.
(function () {
  'use strict';

  var STORAGE_KEY = 'civicdesk.shortcuts';

  // Select all: the header checkbox ticks or unticks every row of its table.
  document.querySelectorAll('input[data-select-all]').forEach(function (all) {
    var table = all.closest('table');
    if (!table) return;
    var picks = Array.prototype.slice.call(table.querySelectorAll('input[data-pick]'));
    function reflect() {
      var ticked = picks.filter(function (pick) { return pick.checked; }).length;
      all.checked = ticked > 0 && ticked === picks.length;
      all.indeterminate = ticked > 0 && ticked < picks.length;
    }
    all.addEventListener('change', function () {
      picks.forEach(function (pick) { pick.checked = all.checked; });
      all.indeterminate = false;
    });
    picks.forEach(function (pick) { pick.addEventListener('change', reflect); });
    var cell = all.closest('[data-select-all-cell]');
    if (cell) cell.hidden = false;
    // The link that does the same by loading the page again is no longer needed.
    document.querySelectorAll('[data-select-all-link]').forEach(function (link) {
      link.hidden = true;
    });
    reflect();
  });

  // Keyboard shortcuts.
  var shortcuts = document.querySelectorAll('[data-shortcut]');
  var rows = Array.prototype.slice.call(document.querySelectorAll('a[data-queue-row]'));
  if (!shortcuts.length && !rows.length) return;

  function enabled() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) !== 'off';
    } catch (error) {
      return true;
    }
  }

  document.querySelectorAll('[data-shortcut-toggle]').forEach(function (toggle) {
    var box = toggle.querySelector('input[data-shortcut-switch]');
    if (!box) return;
    box.checked = enabled();
    box.addEventListener('change', function () {
      try {
        window.localStorage.setItem(STORAGE_KEY, box.checked ? 'on' : 'off');
      } catch (error) {
        // Private browsing without storage: the switch holds for this page only.
      }
      toggle.setAttribute('data-off', box.checked ? 'false' : 'true');
    });
    toggle.hidden = false;
  });

  function switchedOff() {
    var toggle = document.querySelector('[data-shortcut-toggle]');
    if (toggle && toggle.getAttribute('data-off') === 'true') return true;
    return !enabled();
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest('input, textarea, select, [contenteditable]'));
  }

  // On the queue: j and k move the focus down and up the rows' links.
  function moveRow(step) {
    var at = rows.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : rows.length - 1) : at + step;
    if (next < 0 || next >= rows.length) return false;
    rows[next].focus();
    var row = rows[next].closest('tr');
    if (row) row.scrollIntoView({ block: 'nearest' });
    return true;
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.isComposing || typing(event.target) || switchedOff()) return;
    var key = event.key;
    if (key !== 'j' && key !== 'k' && key !== 'a') return;
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    if (target) {
      event.preventDefault();
      target.click();
      return;
    }
    if (rows.length && (key === 'j' || key === 'k') && moveRow(key === 'j' ? 1 : -1)) {
      event.preventDefault();
    }
  });
})();
