/* The diagnose page (/diagnose/, /en/diagnose/): kb-match in the browser.
 *
 * Loads the compiled match index shipped with the site (assets/nskb/match-index.json, the same
 * index kb-match reads), runs the engine (nskb-engine.js) over the pasted log and probe output,
 * and shows the ranked causes, their evidence, the safest fix for the program that failed and
 * links to the articles, in the page's language. Nothing leaves the browser: the only request
 * is for the index, from this site. With instant navigation the page can be entered without a
 * reload, so set-up runs on every page change (Material's document$). */
(function () {
  "use strict"
  const WORDS = {
    zh: {
      loading: "正在加载知识库索引……", ready: "索引已加载：{s} 条报错与线索、{c} 个原因。可以粘贴日志了。",
      failed: "无法加载知识库索引（{e}）。请刷新页面重试。", empty: "请先粘贴报错日志或 kb-probe 的输出。",
      noEngine: "这个页面的诊断引擎没有加载（nskb-engine.js）。请在命令行里运行 kb-match。",
      cause: "找到了最可能的原因。", "not-sure": "不能确定是哪一个原因；下面是最接近的候选。",
      "no-failure": "日志里没有认出用户命名空间或沙箱相关的报错。",
      probability: "可能性", evidence: "依据", safest: "最安全的修复", risk: { low: "低", medium: "中", high: "高" },
      article: "阅读原因文章", line: "第 {n} 行", other: "没有收录的其他原因：{p}",
      facts: "判断依据的事实", copied: "已复制为 Markdown。", copyFailed: "复制失败：浏览器不允许访问剪贴板。",
      took: "用时 {ms} 毫秒，{lines} 行。", heading: "诊断结果", decide: "还差这些事实就能区分：",
      kinds: { symptom: "报错", clue: "线索", feature: "日志特征", fact: "事实", probe: "探测到的失败" },
    },
    en: {
      loading: "Loading the knowledge-base index…", ready: "Index loaded: {s} messages and clues, {c} causes. Paste a log.",
      failed: "The knowledge-base index could not be loaded ({e}). Reload the page to try again.",
      empty: "Paste an error log or kb-probe output first.",
      noEngine: "This page's diagnosis engine did not load (nskb-engine.js). Run kb-match in a terminal instead.",
      cause: "The most likely cause was found.", "not-sure": "Not sure which cause it is; the closest candidates follow.",
      "no-failure": "No user-namespace or sandbox failure was recognised in the log.",
      probability: "probability", evidence: "Evidence", safest: "Safest fix", risk: { low: "low", medium: "medium", high: "high" },
      article: "Read the cause's article", line: "line {n}", other: "Some cause this KB does not know: {p}",
      facts: "Facts used", copied: "Copied as Markdown.", copyFailed: "Copy failed: the browser refused clipboard access.",
      took: "{ms} ms, {lines} line(s).", heading: "Diagnosis", decide: "Facts that would tell them apart:",
      kinds: { symptom: "message", clue: "clue", feature: "log feature", fact: "fact", probe: "probe's failed attempt" },
    },
  }
  const indexes = new Map()   // index URL -> Promise of the index, loaded once per visit

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""))
  }

  function element(tag, attrs, ...children) {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value)
    for (const child of children) node.append(child)   // strings become text nodes: never HTML
    return node
  }

  function loadIndex(url) {
    if (!indexes.has(url))
      indexes.set(url, fetch(url, { credentials: "same-origin" }).then(response => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        return response.json()
      }))
    return indexes.get(url)
  }

  function title(index, kind, id, lang) {
    const titles = ((index.titles || {})[kind] || {})[id] || {}
    return titles[lang] || titles.en || id
  }

  function percent(p) { return `${Math.round(p * 100)}%` }

  /** One piece of evidence in words: its weight, what it is (a message's title, a fact, a
   * feature of a line) and the line it was read from. */
  function evidenceText(index, item, words, lang) {
    let what
    if (item.type === "symptom" || item.type === "clue") what = title(index, "symptom", item.id, lang)
    else if (item.type === "fact" || item.type === "probe") what = item.value && item.value.includes("=") ? item.value : `${item.id}=${item.value}`
    else what = [item.id, item.value].filter(Boolean).join(" ")
    const where = item.line ? ` (${fill(words.line, { n: item.line })})` : ""
    return `${item.weight >= 0 ? "+" : ""}${item.weight.toFixed(2)} ${words.kinds[item.type] || item.type}: ${what}${where}`
  }

  function render(root, index, result, lang) {
    const words = WORDS[lang]
    const site = new URL(root.dataset.site || "../", location.href)
    const out = root.querySelector("[data-nskb-results]")
    out.replaceChildren(element("h2", { id: "result" }, words.heading),
                        element("p", { class: `nskb-verdict nskb-verdict--${result.verdict}`, "data-verdict": result.verdict },
                                words[result.verdict] || result.verdict))
    result.causes.forEach((cause, n) => {
      const card = element("div", { class: "nskb-card", "data-cause": cause.id })
      const link = element("a", { href: new URL(`causes/${cause.id}/`, site).href }, title(index, "cause", cause.id, lang))
      card.append(element("h3", {}, `${n + 1}. `, link, ` — ${words.probability} ${percent(cause.probability)}`))
      const fix = (cause.fixes || [])[0]
      if (fix) {
        const risk = (index.fixes[fix] || {}).risk
        card.append(element("p", {}, element("strong", {}, `${words.safest}: `),
          element("a", { href: new URL(`fixes/${fix}/`, site).href }, title(index, "fix", fix, lang)),
          risk ? ` (${words.risk[risk] || risk})` : ""))
      }
      const list = element("ul", {})
      for (const item of cause.evidence.filter(e => e.counted !== false).slice(0, 8))
        list.append(element("li", {}, element("code", {}, evidenceText(index, item, words, lang))))
      card.append(element("p", {}, element("strong", {}, words.evidence)), list)
      out.append(card)
    })
    if (result.verdict !== "no-failure")
      out.append(element("p", {}, fill(words.other, { p: percent(result.other) })))
    if (result.decide && result.decide.facts && result.decide.facts.length)
      out.append(element("p", {}, words.decide + " ", element("code", {}, result.decide.facts.join(", "))))
  }

  function markdown(index, result, lang) {
    const words = WORDS[lang]
    const base = document.querySelector("link[rel=canonical]")
    const site = new URL(document.querySelector("[data-nskb-diagnose]").dataset.site || "../",
                         base ? base.href : location.href)
    const lines = [`### ${words.heading}`, "", words[result.verdict] || result.verdict, ""]
    result.causes.forEach((cause, n) => {
      lines.push(`${n + 1}. **[${title(index, "cause", cause.id, lang)}](${new URL(`causes/${cause.id}/`, site).href})** (${words.probability} ${percent(cause.probability)})`)
      const fix = (cause.fixes || [])[0]
      if (fix) lines.push(`   - ${words.safest}: [${title(index, "fix", fix, lang)}](${new URL(`fixes/${fix}/`, site).href})`)
      for (const item of cause.evidence.filter(e => e.counted !== false).slice(0, 5))
        lines.push(`   - ${evidenceText(index, item, words, lang).replace(/`/g, "'")}`)
    })
    if (Object.keys(result.facts || {}).length) {
      lines.push("", `<details><summary>${words.facts}</summary>`, "", "```")
      for (const [key, value] of Object.entries(result.facts)) lines.push(`${key}=${value}`)
      lines.push("```", "", "</details>")
    }
    return lines.join("\n") + "\n"
  }

  function setUp() {
    const root = document.querySelector("[data-nskb-diagnose]")
    if (!root || root.dataset.ready) return
    root.dataset.ready = "1"
    const lang = document.documentElement.lang === "en" ? "en" : "zh"
    const words = WORDS[lang]
    const status = root.querySelector("[data-nskb-status]")
    const run = root.querySelector("[data-nskb-run]")
    const copy = root.querySelector("[data-nskb-copy]")
    let last = null
    const url = new URL(root.dataset.index, location.href).href
    status.textContent = words.loading
    loadIndex(url).then(index => {
      status.textContent = fill(words.ready, { s: Object.keys(index.symptoms).length, c: Object.keys(index.causes).length })
      root.dataset.indexLoaded = "1"
      run.addEventListener("click", () => {
        const log = root.querySelector("#nskb-log").value
        const probe = root.querySelector("#nskb-probe").value
        if (!log.trim() && !probe.trim()) { status.textContent = words.empty; return }
        if (!window.nskbEngine) { status.textContent = words.noEngine; return }
        const started = performance.now()
        let result
        try { result = window.nskbEngine.diagnose(index, log, probe) }
        catch (error) { status.textContent = fill(words.failed, { e: error.message }); return }  // e.g. an index without its model
        const ms = Math.round(performance.now() - started)
        last = { index, result }
        render(root, index, result, lang)
        status.textContent = fill(words.took, { ms, lines: result.lines })
        root.dataset.lastMs = String(ms)
        root.dataset.verdict = result.verdict
        copy.disabled = false
      })
      copy.addEventListener("click", () => {
        if (!last) return
        navigator.clipboard.writeText(markdown(last.index, last.result, lang))
          .then(() => { status.textContent = words.copied }, () => { status.textContent = words.copyFailed })
      })
    }, error => { status.textContent = fill(words.failed, { e: error.message }) })
  }

  if (typeof document$ !== "undefined") document$.subscribe(setUp)   // Material's page-change stream
  else document.addEventListener("DOMContentLoaded", setUp)
})()
