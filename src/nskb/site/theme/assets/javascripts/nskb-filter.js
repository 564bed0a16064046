/* The filter box of the symptom index: hides the table rows (and the tool sections left empty)
 * that do not contain every word typed. Runs on every page change (instant navigation). */
(function () {
  "use strict"
  function setUp() {
    const box = document.querySelector("input[data-nskb-filter]")
    if (!box || box.dataset.ready) return
    box.dataset.ready = "1"
    const rows = [...document.querySelectorAll("article table tbody tr")]
    const texts = rows.map(row => row.textContent.toLowerCase())
    box.addEventListener("input", () => {
      const words = box.value.toLowerCase().split(/\s+/).filter(Boolean)
      rows.forEach((row, n) => { row.hidden = !words.every(word => texts[n].includes(word)) })
      for (const table of document.querySelectorAll("article table")) {
        const visible = [...table.tBodies[0].rows].some(row => !row.hidden)
        const wrapper = table.closest(".md-typeset__table") || table
        wrapper.hidden = !visible
        const heading = wrapper.previousElementSibling
        if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = !visible
      }
    })
  }
  if (typeof document$ !== "undefined") document$.subscribe(setUp)
  else document.addEventListener("DOMContentLoaded", setUp)
})()
