import { describe, expect, it } from 'vitest';
import { citedReferences, countLinks, markdownToText, renderArticleHtml, renderCommentHtml } from './markdown.js';

describe('article Markdown', () => {
  it('links reference markers to the numbered references and starts headings at h2', () => {
    const html = renderArticleHtml('# Title\n\nA finding [^2].');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<sup class="cite"><a href="#ref-2" aria-label="Reference 2">[2]</a></sup>');
  });

  it('shows raw HTML as text and drops dangerous URLs and foreign images', () => {
    const html = renderArticleHtml('<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![a](https://tracker.example/p.gif) ![b](/media/b.png) <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<[^>]*onerror|javascript:|tracker\.example/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<img src="/media/b.png" alt="b"');
  });

  it('keeps tables, lists and emphasis', () => {
    const html = renderArticleHtml('| a | b |\n|---|---|\n| 1 | 2 |\n\n- *one*\n- **two**');
    expect(html).toContain('<table>');
    expect(html).toContain('<li><em>one</em></li>');
  });

  it('lists cited references in order of first use', () => {
    expect(citedReferences('a [^2] b [^1] c [^2]')).toEqual([2, 1]);
  });

  it('reduces Markdown to its words', () => {
    expect(markdownToText('## Head\n\nPara *one* [^1].\n\n- a & b')).toBe('Head Para one. a & b');
  });
});

describe('comment Markdown (the small, strict subset)', () => {
  it('escapes every tag a reader types, including event handlers', () => {
    const html = renderCommentHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="https://x" onclick="y">z</a>');
    expect(html).not.toMatch(/<(script|img)|<[^>]*\son[a-z]+=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('marks links nofollow ugc and removes other schemes', () => {
    const html = renderCommentHtml('[ok](https://example.org) [bad](javascript:alert(1)) [data](data:text/html,hi)');
    expect(html).toContain('<a href="https://example.org" rel="nofollow ugc noopener">ok</a>');
    expect(html).not.toMatch(/javascript:|data:/);
  });

  it('turns headings into paragraphs, images into their alt text, keeps line breaks', () => {
    const html = renderCommentHtml('# Shout\n\n![pixel](https://x.example/p.gif)\nnext line');
    expect(html).toContain('<p>Shout</p>');
    expect(html).not.toContain('<img');
    expect(html).toContain('pixel<br />');
  });

  it('counts links, written or bare', () => {
    expect(countLinks('see https://a.example, [b](http://b.example) and www.c.example')).toBe(3);
    expect(countLinks('no links here')).toBe(0);
  });
});
