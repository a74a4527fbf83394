import { createHash } from 'node:crypto';

/**
 * The public site's only stylesheet, served as a file (CSP allows no inline styles we rely on)
 * at a content-hashed address so browsers may cache it for a year. Kept in a module rather than
 * a .css file so the TypeScript build carries it to dist/ with nothing to copy.
 *
 * Phone first: one column, then a side column from 60rem. Colours meet WCAG 2.1 AA contrast
 * (text #1b1f23 on white 16:1; links #0a58a8 6.6:1; muted #50575e 7.4:1; white on the staff
 * badge #0b6b3a 6.4:1). Touch targets are at least 44 px tall. A print stylesheet at the end.
 */
export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1f23;background:#fff}
a{color:#0a58a8;text-underline-offset:.15em}
a:hover{color:#063d75}
:focus-visible{outline:3px solid #0a58a8;outline-offset:2px}
img{max-width:100%;height:auto}
h1,h2,h3{line-height:1.25;margin:1.6em 0 .5em}
h1{font-size:1.75rem;margin-top:.4em}
h2{font-size:1.35rem}
h3{font-size:1.125rem}
p,ul,ol,blockquote,table,pre{margin:0 0 1em}
blockquote{margin-left:0;padding-left:1em;border-left:4px solid #c9d1d9;color:#3b4148}
code{font-size:.92em;background:#f3f4f6;padding:.1em .3em;border-radius:3px}
pre{overflow-x:auto;background:#f3f4f6;padding:.75em}
pre code{padding:0;background:none}
table{border-collapse:collapse;display:block;overflow-x:auto}
th,td{border:1px solid #c9d1d9;padding:.35em .6em;text-align:left}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em 1em;z-index:2}
.skip:focus{left:.5em}
.site-header{border-bottom:1px solid #d8dee4;background:#f7f9fb}
.site-header .wrap{display:flex;flex-wrap:wrap;gap:.25em 1em;align-items:center;padding-top:.5em;padding-bottom:.5em}
.brand{font-weight:700;font-size:1.1rem;line-height:1.3;text-decoration:none;color:#1b1f23;padding:.4em 0;margin-right:auto}
.site-nav a{display:inline-flex;align-items:center;padding:0 .4em;min-height:44px}
.search{display:flex;gap:.4em;width:100%}
.search input{flex:1;min-width:0}
.wrap{max-width:72rem;margin:0 auto;padding-left:1rem;padding-right:1rem}
.layout{display:grid;gap:2rem;padding-top:1rem;padding-bottom:2rem}
main{min-width:0;max-width:44rem}
.lede{font-size:1.15rem;color:#3b4148}
.meta{color:#50575e;font-size:.95rem}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em;margin:0 0 .5em}
.tags a{display:inline-flex;align-items:center;min-height:44px;padding:0 .9em;border:1px solid #c9d1d9;border-radius:999px;text-decoration:none;font-size:.9rem}
.cards{list-style:none;padding:0;margin:0}
.cards li{padding:1em 0;border-bottom:1px solid #e5e8eb}
.cards h2,.cards h3{margin:0 0 .3em;font-size:1.2rem}
.cards p{margin:0 0 .3em}
.side h2{font-size:1.1rem;margin-top:0}
.side section{margin-bottom:2rem}
.side ol,.side ul{padding-left:1.2em}
.side li{margin-bottom:.6em}
.cover{margin:0 0 1.5em}
.cover img{display:block;width:100%;height:auto;border-radius:6px;background:#eef1f4}
.refs{font-size:.95rem;padding-left:1.6em}
.refs li{margin-bottom:.6em;overflow-wrap:anywhere}
.refs li:target{background:#fff7d6}
sup.cite a{text-decoration:none;padding:0 .1em}
.cta{margin:2rem 0;padding:1.25rem;border:2px solid #0a58a8;border-radius:8px;background:#f2f7fd}
.cta h2{margin-top:0}
.button{display:inline-block;min-height:44px;padding:.6em 1.1em;margin:.25em .5em .25em 0;border-radius:6px;background:#0a58a8;color:#fff;text-decoration:none;border:2px solid #0a58a8;font:inherit;font-weight:600;line-height:1.25;cursor:pointer}
.button:hover{background:#063d75;color:#fff}
.button.secondary{background:#fff;color:#0a58a8}
.note{font-size:.95rem;color:#3b4148;border-left:4px solid #c9d1d9;padding-left:.8em}
.comments{margin-top:2.5rem;border-top:1px solid #d8dee4}
.comment{margin:0 0 1.2em;padding:.8em 1em;background:#f7f9fb;border-radius:6px}
.comment .who{font-weight:600;margin:0 0 .2em}
.comment .replies{list-style:none;margin:.8em 0 0;padding:0 0 0 1em;border-left:3px solid #d8dee4}
.comment .replies .comment{background:#fff}
.comment.staff{border-left:4px solid #0b6b3a}
.badge{display:inline-block;margin-left:.5em;padding:.05em .5em;border-radius:4px;background:#0b6b3a;color:#fff;font-size:.8rem;font-weight:600;vertical-align:.1em}
.comment-list{list-style:none;padding:0;margin:0}
form.comment-form{margin-top:1.5rem}
.field{margin-bottom:1em}
.field label{display:block;font-weight:600}
.hint{display:block;color:#50575e;font-size:.92rem}
input[type=text],input[type=email],input[type=search],input[type=tel],textarea{width:100%;font:inherit;line-height:1.25;padding:.55em .6em;border:1px solid #6e7781;border-radius:4px;min-height:44px;background:#fff;color:#1b1f23}
textarea{min-height:9em;resize:vertical}
[aria-invalid=true]{border:2px solid #b3261e}
.field-error{color:#b3261e;font-weight:600;margin:.2em 0}
.error-summary{border:3px solid #b3261e;padding:.8em 1em;margin:1em 0}
.error-summary h2,.error-summary h3{margin-top:0}
.notice{border:2px solid #0b6b3a;background:#eef8f1;padding:.8em 1em;margin:1em 0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.pager{display:flex;justify-content:space-between;margin-top:1.5em}
fieldset{border:0;padding:0;margin:0 0 1.5em;min-width:0}
legend{font-weight:600;padding:0;margin-bottom:.2em}
.choices{list-style:none;margin:.3em 0 0;padding:0}
.choices label{display:flex;align-items:center;gap:.6em;min-height:44px;font-weight:400;cursor:pointer}
.choices input{width:1.35em;height:1.35em;margin:0;flex:none;accent-color:#0a58a8}
.yes-no{display:flex;flex-wrap:wrap;gap:0 2em}
.question{border-top:1px solid #e5e8eb;padding-top:.8em}
.question fieldset{margin-bottom:1em}
.urgent{border:3px solid #b3261e;border-radius:8px;padding:1em 1.25em;margin:1em 0;background:#fdf3f2}
.urgent h2{margin-top:0}
.site-footer{border-top:1px solid #d8dee4;background:#f7f9fb;color:#3b4148;font-size:.95rem;padding:1.25rem 0 2rem}
.site-footer a{display:inline-block;padding:.4em 0;margin-right:1em;min-height:44px}
@media (min-width:40rem){.search{width:auto}h1{font-size:2.1rem}}
@media (min-width:60rem){.layout{grid-template-columns:minmax(0,44rem) 18rem;justify-content:space-between}.side{padding-top:3.2rem}}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important}}
@media print{
 .site-header nav,.search,.skip,.side,.comment-form,.cta .button,.site-footer,.reply-link,.pager,.cover{display:none!important}
 body{font-size:11pt;color:#000}
 .layout{display:block}
 a{color:#000}
 .prose a[href^="http"]::after,.refs a::after{content:" (" attr(href) ")";font-size:.85em;word-break:break-all}
 .cta{border:1px solid #000;background:none}
 .comment{background:none;border:1px solid #999}
 h1,h2,h3{break-after:avoid}
 li,blockquote,.comment{break-inside:avoid}
}
`.trim();

export const SITE_CSS_PATH = `/assets/site-${createHash('sha256').update(SITE_CSS).digest('hex').slice(0, 10)}.css`;
