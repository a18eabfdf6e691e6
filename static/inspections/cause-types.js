// Disturbance forms in the admin: once a cause category is chosen, offer only the cause
// types the register's mapping gives it. The cause-type list is grouped by category
// (<optgroup>), so without this script every group is still there to choose from, and the
// server checks the choice either way. A category with no group of its own allows any type.
"use strict";
(function () {
  function pairedTypeSelect(categorySelect) {
    const name = categorySelect.name.replace(/cause_category$/, "cause_type");
    return categorySelect.form ? categorySelect.form.elements.namedItem(name) : null;
  }

  function filterTypes(categorySelect) {
    const typeSelect = pairedTypeSelect(categorySelect);
    if (!typeSelect || !typeSelect.querySelectorAll) {
      return;
    }
    const chosen = categorySelect.selectedOptions[0];
    const label = chosen && chosen.value ? chosen.textContent.trim() : "";
    const groups = Array.from(typeSelect.querySelectorAll("optgroup"));
    const mapped = groups.some((group) => group.label === label);
    const value = typeSelect.value;
    groups.forEach((group) => {
      const shown = !mapped || group.label === label;
      group.hidden = !shown;
      group.disabled = !shown;
    });
    // Keep the chosen type selected in the group that is shown, or clear it.
    const visible = Array.from(typeSelect.options).filter(
      (option) => option.value === value && !(option.parentElement && option.parentElement.disabled)
    );
    if (visible.length) {
      visible[0].selected = true;
    } else if (value) {
      typeSelect.value = "";
    }
  }

  function isCategorySelect(element) {
    return element && element.tagName === "SELECT" && /cause_category$/.test(element.name);
  }

  function filterAll(root) {
    root.querySelectorAll("select").forEach((select) => {
      if (isCategorySelect(select)) {
        filterTypes(select);
      }
    });
  }

  document.addEventListener("change", (event) => {
    if (isCategorySelect(event.target)) {
      filterTypes(event.target);
    }
  });
  document.addEventListener("formset:added", (event) => filterAll(event.target));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => filterAll(document));
  } else {
    filterAll(document);
  }
})();
