/* The language switcher stays on the same page, with instant navigation on.
 *
 * Every page exists in both languages: /<root>/x/ in Chinese, /<root>/en/x/ in English. The
 * header's language links are rendered for the page first loaded, and instant navigation does
 * not replace the header, so a click on one is answered here, from the current address, with a
 * full page load (the other language has its own search index and configuration). */
(function () {
  "use strict"
  const config = document.getElementById("__config")
  if (!config) return
  // `base` is this language's root, relative to the page first loaded (see mkdocs_hooks.py).
  const languageRoot = new URL(JSON.parse(config.textContent).base, location.href).href
  const isEnglish = document.documentElement.lang === "en"
  const siteRoot = isEnglish ? new URL("../", languageRoot).href : languageRoot

  window.addEventListener("click", event => {
    const link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]")
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return
    const here = location.href.startsWith(languageRoot) ? location.href.slice(languageRoot.length) : ""
    const target = siteRoot + (link.getAttribute("hreflang") === "en" ? "en/" : "") + here
    event.preventDefault()
    event.stopImmediatePropagation()
    location.assign(target)
  }, true)
})()
