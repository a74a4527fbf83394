/**
 * The survey pages' whole stylesheet, inlined in each page (the CSP allows inline styles, and one
 * request is best on a bad connection). Phone first; colours meet WCAG 2.1 AA (body text
 * #1d1d1f on white 16:1, links and buttons #0b4f8a 8.4:1 against white, control borders at least 4.5:1); every control is at
 * least 44 × 44 px; focus is a thick yellow-and-black ring that shows on any background.
 */
export const SURVEY_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1.125rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d1d1f;background:#fff}
a{color:#0b4f8a;text-underline-offset:.15em}
a:hover{color:#063a66}
:focus{outline:3px solid #ffbf47;outline-offset:0;box-shadow:0 0 0 6px #1d1d1f}
:focus:not(:focus-visible){outline:none;box-shadow:none}
.vh,.skip{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.skip:focus{position:static;width:auto;height:auto;display:block;padding:.75rem 1rem;background:#ffbf47;color:#1d1d1f}
header{background:#0b4f8a;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:700;font-size:1.125rem}
main{max-width:40rem;margin:0 auto;padding:1rem 1rem 2.5rem}
h1{font-size:1.625rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.75rem 0 .5rem}
.lead{margin:0 0 1rem}
.muted{color:#4b4b50}
.small{font-size:1rem}
.step{margin:0;font-size:1rem;font-weight:700;color:#4b4b50}
.bar{height:.5rem;background:#e3e3e8;border-radius:.25rem;margin:.25rem 0 1rem;overflow:hidden}
.bar span{display:block;height:100%;background:#0b4f8a}
fieldset{border:0;margin:0;padding:0;min-width:0}.question{margin:0 0 1.75rem}
legend{padding:0;font-weight:700;font-size:1.125rem;margin-bottom:.25rem}
legend .num{display:block;font-size:1rem;font-weight:400;color:#4b4b50}
.hint{margin:0 0 .5rem;color:#4b4b50;font-size:1rem}
.error-text{margin:.25rem 0 .5rem;color:#b3261e;font-weight:700}
.invalid{border-left:5px solid #b3261e;padding-left:.75rem}
.summary{border:4px solid #b3261e;padding:1rem;margin:0 0 1.5rem}
.summary h2{margin-top:0}
.summary ul{margin:0;padding-left:1.25rem}
.summary a{color:#b3261e;font-weight:700}
.scale{display:grid;grid-template-columns:repeat(6,1fr);gap:.375rem;margin:.5rem 0}
@media (max-width:21.99rem){.scale{grid-template-columns:repeat(4,1fr)}}
@media (min-width:34rem){.scale{grid-template-columns:repeat(11,1fr)}}
.tile{position:relative;display:block}
.tile input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.tile span{display:flex;align-items:center;justify-content:center;min-height:3rem;border:2px solid #505055;border-radius:.375rem;font-weight:700;background:#fff}
.tile input:checked+span{background:#0b4f8a;border-color:#0b4f8a;color:#fff}
.tile input:focus+span{outline:3px solid #ffbf47;box-shadow:0 0 0 6px #1d1d1f}
.tile input:focus:not(:focus-visible)+span{outline:none;box-shadow:none}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:1rem;color:#4b4b50;margin:0}
.ends span:last-child{text-align:right}
.options{display:grid;gap:.5rem;margin:.5rem 0}
.option{display:flex;align-items:center;gap:.75rem;min-height:3rem;padding:.5rem .75rem;border:2px solid #76767b;border-radius:.375rem;cursor:pointer}
.option input{width:1.5rem;height:1.5rem;margin:0;flex:none;accent-color:#0b4f8a}
.option:has(input:checked){border-color:#0b4f8a;background:#eef4fa}
input[type=number],input[type=text],textarea{font:inherit;width:100%;min-height:3rem;padding:.5rem;border:2px solid #505055;border-radius:.25rem}
label.field{display:block;font-weight:700;margin-bottom:.25rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin-top:1.5rem}
button,.button{font:inherit;font-weight:700;min-height:3rem;padding:.625rem 1.25rem;border-radius:.375rem;border:2px solid #0b4f8a;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center}
.primary{background:#0b4f8a;color:#fff}
.primary:hover{background:#063a66}
.secondary{background:#fff;color:#0b4f8a}
.link-button{background:none;border:0;padding:.625rem 0;color:#0b4f8a;text-decoration:underline;font-weight:400}
.panel{background:#f3f5f8;border-radius:.5rem;padding:1rem;margin:1.5rem 0}
.chart{margin:1rem 0 1.5rem}
.chart h3{font-size:1.125rem;margin:0 0 .25rem}
.chart svg{display:block;width:100%;height:auto;max-width:36rem}
.copyright{font-size:.875rem;color:#4b4b50;margin-top:2rem}
footer{max-width:40rem;margin:0 auto;padding:1rem 1rem 2rem;border-top:1px solid #d5d5da;font-size:1rem}
footer h2{font-size:1.125rem;margin:.5rem 0}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
@media (forced-colors:active){.tile input:checked+span{border-width:5px}}
`.replace(/\n/g, '');
