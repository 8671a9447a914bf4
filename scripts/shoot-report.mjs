// Opens an xv report in headless Debian Chromium, offline, and takes a screenshot.
// Usage: node scripts/shoot-report.mjs REPORT.html OUT.png  → prints JSON {svgs, marks, errors, requests}
import {chromium} from 'playwright-core'
import {pathToFileURL} from 'node:url'

const [file, out] = process.argv.slice(2)
const browser = await chromium.launch({
  executablePath: process.env.XV_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
})
try {
  const context = await browser.newContext({offline: true, viewport: {width: 1280, height: 900}})
  const page = await context.newPage()
  const errors = []
  const requests = []
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()) })
  await page.goto(pathToFileURL(file).href, {waitUntil: 'load'})
  const svgs = await page.locator('svg').count()
  const marks = await page.locator('svg path, svg line, svg text').count()
  if (out) await page.screenshot({path: out, fullPage: true})
  const before = await page.locator('table.sortable tbody tr:first-child td:first-child').first().textContent()
  await page.locator('table.sortable th').first().click()
  const after = await page.locator('table.sortable tbody tr:first-child td:first-child').first().textContent()
  process.stdout.write(`${JSON.stringify({svgs, marks, errors, requests, sorted: {before, after}, title: await page.title()})}\n`)
} finally {
  await browser.close()
}
