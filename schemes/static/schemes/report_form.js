// Repeating tables of the highlight report form: add and remove rows in the page without
// losing what was typed. Without this script the same buttons still work: "Add" saves the
// draft and comes back with a blank row, and "Remove" is a checkbox applied on save.

function enhanceFormset(formset) {
  const prefix = formset.dataset.formset;
  const total = formset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const rows = formset.querySelector("[data-formset-rows]");
  const template = formset.querySelector("template[data-formset-template]");
  const addButton = formset.querySelector("[data-formset-add]");
  const status = formset.querySelector("[data-formset-status]");
  const noun = formset.dataset.noun;

  const renumber = () => {
    let number = 0;
    for (const row of rows.querySelectorAll("[data-formset-row]")) {
      if (!row.hidden) {
        number += 1;
        row.querySelector("[data-row-number]").textContent = String(number);
      }
    }
  };

  const enhanceRow = (row) => {
    const checkbox = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (!checkbox) return;
    checkbox.closest(".bc-formset__remove").hidden = true;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small bc-remove-row";
    button.textContent = `Remove this ${noun}`;
    button.addEventListener("click", () => {
      // The row stays in the form, marked for deletion, so the row numbers Django expects
      // stay in order; it is simply not shown.
      checkbox.checked = true;
      row.hidden = true;
      renumber();
      status.textContent = `${noun} removed`;
      addButton.focus();
    });
    row.append(button);
    if (checkbox.checked) row.hidden = true;
  };

  for (const row of rows.querySelectorAll("[data-formset-row]")) enhanceRow(row);

  addButton.addEventListener("click", (event) => {
    event.preventDefault();
    const index = Number(total.value);
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    enhanceRow(row);
    renumber();
    status.textContent = `${noun} added`;
    row.querySelector("textarea, select, input:not([type=hidden])")?.focus();
  });
  renumber();
}

for (const formset of document.querySelectorAll("[data-formset]")) enhanceFormset(formset);
