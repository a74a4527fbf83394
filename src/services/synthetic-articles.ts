import { Faker, en } from '@faker-js/faker';
import type { Store } from '../store/db.js';
import type { ArticleCommentRow, CommentStatus } from '../store/schema-education.js';
import { createArticle, publishArticle, updateAuthorProfile, type ArticleFields } from './articles.js';
import { recordAudit } from './audit.js';
import type { Actor, Services } from './context.js';
import { inTransaction } from './db-helpers.js';
import { newId } from './ids.js';

/**
 * The demo clinic's articles: four original pieces written for Autolog (never copied from
 * anywhere), with real references from shared/domain/preparation.md §5 and outcomes.md §3, a few
 * approved, pending and spam comments, and 45 days of view counts so "Popular posts" has data.
 *
 * Reference identifiers were checked against the publishers' or PubMed records where noted
 * "checked"; the Tuakli-Wosornu DOI is from memory [M] and should be confirmed by the clinic.
 */

const DAY_MS = 86_400_000;

interface DemoArticle {
  fields: ArticleFields;
  /** Days before the demo's "today" that it was published. */
  publishedDaysAgo: number;
  /** Relative popularity: average views per day. */
  viewsPerDay: number;
  authorRole: 'clinician' | 'coordinator';
}

const REF = {
  // DOI from memory [M]: PM R. 2016;8(1):1–10.
  tuakli: { doi: '10.1016/j.pmrj.2015.08.010', pmid: null, citation: 'Tuakli-Wosornu YA, Terry A, Boachie-Adjei K, et al. Lumbar intradiskal platelet-rich plasma (PRP) injections: a prospective, double-blind, randomized controlled study. PM&R. 2016;8(1):1–10.' },
  // DOI checked (Pain Medicine article page).
  levi: { doi: '10.1093/pm/pnv053', pmid: null, citation: 'Levi D, Horn S, Tyszko S, Levin J, Hecht-Leavitt C, Walko E. Intradiscal platelet-rich plasma injection for chronic discogenic low back pain: preliminary results from a prospective trial. Pain Medicine. 2016;17(6):1010–1022.' },
  // DOI and PMID checked (PubMed record).
  akeda: { doi: '10.4184/asj.2017.11.3.380', pmid: '28670405', citation: 'Akeda K, Ohishi K, Masuda K, et al. Intradiscal injection of autologous platelet-rich plasma releasate to treat discogenic low back pain: a preliminary clinical trial. Asian Spine Journal. 2017;11(3):380–389.' },
  // Identifiers not confirmed here: cited by title (full text on PubMed Central, PMC11373021).
  schepers: { doi: null, pmid: null, citation: 'Schepers MO, et al. Effectiveness of intradiscal platelet rich plasma for discogenic low back pain without Modic changes: a randomized controlled trial. Interventional Pain Medicine. 2022. Full text: PubMed Central PMC11373021.' },
  // Journal, volume and pages checked; no DOI (the journal does not register them).
  wu2016: { doi: null, pmid: null, citation: 'Wu J, Du Z, Lv Y, et al. A new technique for the treatment of lumbar facet joint syndrome using intra-articular injection with autologous platelet rich plasma. Pain Physician. 2016;19(8):617–625.' },
  // DOI and PMID checked (PubMed record).
  wu2017: { doi: '10.1111/papr.12544', pmid: '27989008', citation: 'Wu J, Zhou J, Liu C, et al. A prospective study comparing platelet-rich plasma and local anesthetic (LA)/corticosteroid in intra-articular injection for the treatment of lumbar facet joint syndrome. Pain Practice. 2017;17(7):914–924.' },
  // DOI and PMID checked.
  farrar: { doi: '10.1016/S0304-3959(01)00349-9', pmid: '11690728', citation: 'Farrar JT, Young JP, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain. 2001;94(2):149–158.' },
  ostelo: { doi: null, pmid: null, citation: 'Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and functional status in low back pain: towards international consensus regarding minimal important change. Spine. 2008;33(1):90–94.' },
};

const ARTICLES: DemoArticle[] = [
  {
    publishedDaysAgo: 150, viewsPerDay: 48, authorRole: 'clinician',
    fields: {
      slug: 'prp-for-degenerative-disc-pain',
      title: 'PRP for degenerative disc pain: what the studies show, and what they don’t',
      summary: 'Small studies of platelet-rich plasma injected into painful discs were encouraging; the largest trial so far found no benefit over a placebo injection. Here is what that means if your pain comes from a disc.',
      indication: 'degenerative-disc-disease',
      tags: ['Disc pain', 'Evidence', 'PRP'],
      references: [REF.tuakli, REF.levi, REF.akeda, REF.schepers],
      bodyMarkdown: `## Why a disc can hurt

Between the bones of the lower spine sit the intervertebral discs: a tough ring of fibre around a softer, gel-like centre. With age almost everyone’s discs lose water and height — scans of people with no back pain at all show this all the time, so “disc degeneration” on a report does not by itself explain anyone’s pain.

In some people, though, small tears in the outer ring become inflamed and grow nerve endings, and the disc itself becomes a source of pain. Doctors call this *discogenic* pain. It is usually a deep ache in the middle of the low back, often worse when sitting for long or bending forward.

Discs have almost no blood supply, which is one reason they heal so slowly. The idea behind PRP is to place a concentrate of your own platelets — and the growth factors they carry — directly into the painful disc, in the hope of calming inflammation and helping the tissue repair itself.

## What the studies found

- **A small randomised trial was encouraging.** Forty-seven people whose disc pain had been confirmed by discography received either PRP or an inactive injection, without knowing which [^1]. Over eight weeks the PRP group reported better pain, function and satisfaction, and the gain in function lasted to one year in those who were followed up.
- **Studies without a comparison group also looked good.** In one, about half of the patients followed to six months (9 of 19) met a strict definition of success: at least 50% less pain *and* at least 30% better function [^2]. In another, fourteen patients treated with a PRP product saw their average pain fall from 7.5 to 2.9 out of 10 over a year [^3]. Without a comparison group, however, nobody can say how much of that was the injection and how much was natural recovery or the placebo effect.
- **The largest trial so far found no difference.** Ninety-eight patients were randomly given either 1 mL of PRP or a saline injection into the disc. After twelve months, pain and function had improved by about the same amount in both groups, and one person in the PRP group developed a disc infection [^4].

## What this means for you

The honest summary is that the evidence is **mixed**. The early results were promising, but the most rigorous trial to date did not show that PRP does better than a placebo injection for disc pain at one year. Differences in how the PRP was made, which patients were chosen and how success was measured may explain part of the gap. We don’t know yet.

So if your pain seems to come from a disc, we will talk it through with you before anything else. PRP is one option among several, and for many people a structured exercise programme is the right first step. An injection into a disc also carries a small risk of infection, which is one reason we consider it only after a careful assessment.

Because the evidence is uncertain, we record every patient’s pain and function before treatment and for a year afterwards, and we publish our results for each cause of back pain separately. You can read [how we measure our results](/articles/how-we-measure-our-results).`,
    },
  },
  {
    publishedDaysAgo: 110, viewsPerDay: 22, authorRole: 'clinician',
    fields: {
      slug: 'prp-for-facet-joint-pain',
      title: 'PRP for facet joint pain: early, small, but interesting results',
      summary: 'Two small studies suggest PRP injected into the lumbar facet joints may give relief that lasts longer than a steroid injection. The evidence is still early: here is what it does and does not tell us.',
      indication: 'lumbar-facet-joint-pain',
      tags: ['Facet joints', 'Evidence', 'PRP'],
      references: [REF.wu2016, REF.wu2017],
      bodyMarkdown: `## What the facet joints are

Each bone of the spine is linked to the ones above and below it by a pair of small joints at the back, the facet joints. Like other joints they have cartilage and a lining, and like other joints they can wear and become arthritic. Facet joint pain is typically felt on one or both sides of the low back, is often worse when leaning backwards or twisting, and may spread into the buttock or thigh — but rarely below the knee.

No scan can reliably show which facet joint hurts. That is usually worked out with a small diagnostic injection of local anaesthetic near the nerves that supply the joint: if the pain eases for the few hours the anaesthetic lasts, the joint is the likely source.

## What the studies found

- **A first study of 19 patients** had PRP injected into the facet joints under x-ray guidance. Between one and three months later, about four in five (79%) rated their relief as good or excellent [^1]. There was no comparison group, so we cannot tell how much of this the PRP itself achieved.
- **A randomised comparison of 46 patients** gave either PRP or a local anaesthetic with a steroid into the joints [^2]. The steroid group did best at one month, but their relief faded, and by six months few were still doing well. The PRP group improved more slowly and kept improving up to six months.

## What this means for you

These results are encouraging, but they come from two small studies from a single centre, followed for at most six months. We don’t yet know whether the relief lasts beyond that, and PRP has not been compared with a placebo injection for facet pain. Other treatments — such as radiofrequency treatment of the nerves that supply the joints — have been studied in more and larger trials, with mixed results of their own.

If your pain seems to come from the facet joints, we will first confirm the source, then discuss all the options with you, including the ones we don’t provide. If you choose PRP, we follow your progress for a year, so that our own results add to what is known.`,
    },
  },
  {
    publishedDaysAgo: 70, viewsPerDay: 31, authorRole: 'coordinator',
    fields: {
      slug: 'what-happens-on-injection-day',
      title: 'What happens on injection day',
      summary: 'From the blood sample to going home: a step-by-step guide to a PRP injection at our clinic, including how we make sure you only ever receive your own blood.',
      indication: null,
      tags: ['Injection day', 'Practical'],
      references: [],
      bodyMarkdown: `Knowing what to expect makes the day easier. This is how a PRP injection for back pain usually goes at our clinic; your clinician will tell you about anything that is different for you.

## Before the day

- **Medicines.** Some painkillers, in particular anti-inflammatories such as ibuprofen or naproxen, can make platelets work less well. We will tell you whether and when to pause them. Never stop a blood thinner or any prescribed medicine without talking to the doctor who prescribed it.
- **Feeling unwell?** If you have a fever, an infection or have had a steroid injection recently, call us: we may need to move the appointment.
- **Getting home.** Plan for someone to drive you home.

## On the day

1. **Checking who you are.** We ask your full name and date of birth — more than once, which is deliberate. Every tube and syringe that holds your blood is labelled in front of you.
2. **The blood sample.** We take blood from a vein in your arm, much like a routine blood test. How much depends on the preparation system; it is usually a few tubes.
3. **Preparing the PRP.** Your blood is spun in a centrifuge, which separates the platelets from the red cells. This takes about half an hour, and only one person’s blood is ever processed in a run. We record how it was prepared, so we know exactly what you received.
4. **The check at your side.** Before the injection, two members of staff — or one with a barcode scan — check that the syringe is yours, against your wristband and your answers. You will never be given anyone else’s blood.
5. **The injection.** You lie on your front. The skin is numbed with local anaesthetic, and the needle is guided to the right place with x-ray or ultrasound. The injection itself takes a few minutes.
6. **Afterwards.** You rest with us for a short while before going home.

## The next few days

An ache or stiffness at the injection site for a few days is common, and some people have a short flare of their usual pain. We will give you written advice on pain relief and activity.

**Contact us straight away** if you have a fever, redness or increasing pain at the injection site. **Call emergency services** if you develop new weakness or numbness in the legs, or lose control of your bladder or bowels.

## Afterwards: telling us how you are

We will email you short questionnaires about your pain and daily activities at regular points over the following year. Answering them helps you and your clinician see how you are doing, and helps us report honestly how well PRP works.`,
    },
  },
  {
    publishedDaysAgo: 30, viewsPerDay: 14, authorRole: 'clinician',
    fields: {
      slug: 'how-we-measure-our-results',
      title: 'How we measure our results',
      summary: 'We ask every patient about their pain and daily life before treatment and for a year after it, and publish what we find for each cause of back pain — including the people it did not help.',
      indication: null,
      tags: ['Our results', 'Evidence'],
      references: [REF.farrar, REF.ostelo, REF.levi, REF.schepers],
      bodyMarkdown: `Studies of PRP for back pain disagree with each other, and results differ by the cause of the pain. The most useful thing a clinic can add is an honest record of how its own patients do. This is how we keep ours.

## What we ask, and when

Before treatment and then at about 6 weeks, 3, 6 and 12 months afterwards, we send you a short set of questions by email, with a personal link:

- **Pain**, on a scale from 0 (no pain) to 10 (the worst imaginable), for your back and your leg separately.
- **Daily activities**, with a standard back-pain disability questionnaire that covers things like sitting, walking, sleeping and travelling.
- **Overall change**: whether, all things considered, you feel better, the same or worse than before treatment.

If we don’t hear back, we send a reminder, and then a member of staff may phone you.

## What counts as “better”

A change of one point on a pain scale is hard to tell apart from an ordinary good or bad day. Researchers have looked at what size of change patients themselves describe as meaningful. On a 0–10 scale it is about **two points, or about 30%** [^1][^2]. We count someone as improved only if they reach that, and we say which definition we used for every figure. Some studies use stricter definitions, such as 50% less pain together with better function [^3]; we show those too.

## How we report it

- **Separately for each cause** — disc, facet joint, sacroiliac joint, nerve-root pain — because PRP may help one and not another.
- **With everyone counted.** We show how many people were treated, and how many answered at each time point. People who don’t reply are not quietly left out, because those who do badly are often the least likely to answer.
- **With a range, not just one number.** With small numbers of patients any percentage is uncertain, so we show the likely range alongside it.

We won’t claim more than our numbers show. If our results turn out no better than a placebo injection did in a trial [^4], we will say so.

*Our first results will appear here once enough patients have completed a year of follow-up.*`,
    },
  },
];

interface DemoComment {
  article: number;
  name: string;
  email: string | null;
  body: string;
  status: CommentStatus;
  daysAfterPublish: number;
  /** A reply from the clinic, written by the article's author. */
  staffReply?: string;
}

const COMMENTS: DemoComment[] = [
  {
    article: 0, name: 'Sam', email: 'sam@example.com', status: 'approved', daysAfterPublish: 6,
    body: 'Thank you for being straight about the trial that found no difference. Most of what I had read only mentioned the good results.',
  },
  {
    article: 0, name: 'Priya', email: null, status: 'approved', daysAfterPublish: 19,
    body: 'Is the one-year trial the final word, or are more studies under way?',
    staffReply: 'Not the final word: it is one well-run trial, and others are in progress. Until they report we will keep saying the evidence is mixed, and keep publishing our own results.',
  },
  {
    article: 0, name: 'J. R.', email: 'jr@example.com', status: 'pending', daysAfterPublish: 140,
    body: 'My MRI showed two bulging discs at L4/5 and L5/S1 and I have had pain for three years — would I be a candidate?',
  },
  {
    article: 0, name: 'Best deals', email: null, status: 'spam', daysAfterPublish: 100,
    body: 'Cheap supplements here https://spam.example/a and https://spam.example/b',
  },
  {
    article: 2, name: 'Helen', email: 'helen@example.com', status: 'approved', daysAfterPublish: 3,
    body: 'Does the injection itself hurt?',
    staffReply: 'Most people describe pressure and a short ache rather than sharp pain, because the skin and the path of the needle are numbed first. If you are anxious about it, tell us on the day.',
  },
  {
    article: 2, name: 'Tom', email: null, status: 'pending', daysAfterPublish: 60,
    body: 'How long after the injection can I drive?',
  },
  {
    article: 1, name: 'Grace', email: 'grace@example.com', status: 'approved', daysAfterPublish: 12,
    body: 'Useful to know that a diagnostic block comes first. I did not know scans could not show which joint hurts.',
  },
];

export interface SyntheticArticlesResult {
  articles: number;
  comments: number;
}

/**
 * Writes the demo articles through the same use cases staff use (so revisions and the audit trail
 * exist), then back-dates them relative to the demo's "today" (never into the real future, so they
 * are live), and adds comments and view counts. Text, dates and counts are the same for a given
 * seed and "today" (ids are not); view counts are laid on the 45 days before the real today, so
 * "Popular posts" works when the demo is served.
 */
export async function writeSyntheticArticles(store: Store, clinicId: string, options: { seed: number; asOf: string }): Promise<SyntheticArticlesResult> {
  const faker = new Faker({ locale: [en] });
  faker.seed(options.seed + 6);
  const services: Services = { store, config: { publicUrl: '', smtpUrl: undefined, secureCookies: false, dataDir: '' } }; // no uploads: the demo articles have no cover images
  const staff = await store.db.selectFrom('staff_user').select(['id', 'email', 'role', 'display_name']).where('clinic_id', '=', clinicId).orderBy('created_at').execute();
  const byRole = (role: string) => staff.find((s) => s.role === role) ?? staff[0]!;
  const clinic = await store.db.selectFrom('clinic').select('time_zone').where('id', '=', clinicId).executeTakeFirstOrThrow();
  const actorFor = (s: (typeof staff)[number]): Actor => ({ userId: s.id, clinicId, role: s.role, timeZone: clinic.time_zone, label: 'autolog demo', ip: '127.0.0.1' });
  const clinician = byRole('clinician');
  const admin = byRole('admin');
  const coordinator = byRole('coordinator');

  // Author profiles (synthetic people, synthetic credentials).
  await updateAuthorProfile(services, actorFor(admin), clinician.id, { credentials: 'MD, consultant in pain medicine (synthetic)', bio: `${clinician.display_name} assesses and treats patients with back pain at the clinic and leads its outcome measurement. (A synthetic person for the demo.)` });
  await updateAuthorProfile(services, actorFor(admin), admin.id, { credentials: 'MB BS, medical director (synthetic)', bio: null });
  await updateAuthorProfile(services, actorFor(admin), coordinator.id, { credentials: 'Patient coordinator (synthetic)', bio: null });

  const todayMs = Math.min(Date.parse(`${options.asOf}T12:00:00Z`), Date.now());
  const ids: string[] = [];
  for (const a of ARTICLES) {
    const author = a.authorRole === 'coordinator' ? coordinator : clinician;
    // The medical reviewer is someone other than the author.
    const reviewer = author.id === clinician.id ? admin : clinician;
    const publishedMs = todayMs - a.publishedDaysAgo * DAY_MS;
    const reviewedOn = new Date(publishedMs - 3 * DAY_MS).toISOString().slice(0, 10);
    const created = await createArticle(services, actorFor(clinician), { ...a.fields, authorId: author.id, reviewerId: reviewer.id, lastReviewedOn: reviewedOn });
    await publishArticle(services, actorFor(clinician), created.id, {});
    const publishedAt = new Date(publishedMs).toISOString();
    const createdAt = new Date(publishedMs - 5 * DAY_MS).toISOString();
    await store.db.updateTable('article').set({ publish_at: publishedAt, created_at: createdAt, updated_at: publishedAt }).where('id', '=', created.id).where('clinic_id', '=', clinicId).execute();
    await store.db.updateTable('article_revision').set({ created_at: createdAt }).where('article_id', '=', created.id).where('clinic_id', '=', clinicId).execute();
    ids.push(created.id);
  }

  let comments = 0;
  await inTransaction(store, async (trx) => {
    for (const c of COMMENTS) {
      const article = ARTICLES[c.article]!;
      const articleId = ids[c.article]!;
      const author = article.authorRole === 'coordinator' ? coordinator : clinician;
      const atMs = todayMs - (article.publishedDaysAgo - c.daysAfterPublish) * DAY_MS + faker.number.int({ min: 0, max: 8 * 3600_000 });
      const at = new Date(atMs).toISOString();
      const moderated = c.status !== 'pending' ? new Date(atMs + 3 * 3600_000).toISOString() : null;
      const row: ArticleCommentRow = {
        id: newId(), clinic_id: clinicId, article_id: articleId, parent_id: null, author_name: c.name, author_email: c.email, body_markdown: c.body, status: c.status,
        is_staff_reply: 0, staff_id: null, created_at: at, moderated_at: moderated, moderated_by: moderated ? author.id : null,
      };
      await trx.insertInto('article_comment').values(row).execute();
      comments++;
      if (c.staffReply) {
        const replyAt = new Date(atMs + 5 * 3600_000).toISOString();
        await trx.insertInto('article_comment').values({
          ...row, id: newId(), parent_id: row.id, author_name: author.display_name, author_email: null, body_markdown: c.staffReply, status: 'approved',
          is_staff_reply: 1, staff_id: author.id, created_at: replyAt, moderated_at: replyAt, moderated_by: author.id,
        }).execute();
        comments++;
      }
    }
    // Views per article per day over the last 45 real days (the popular window is 30).
    const realToday = Date.now();
    const views = ARTICLES.flatMap((a, i) => Array.from({ length: 45 }, (_, d) => ({
      clinic_id: clinicId, article_id: ids[i]!, day: new Date(realToday - d * DAY_MS).toISOString().slice(0, 10),
      views: Math.max(0, Math.round(a.viewsPerDay * faker.number.float({ min: 0.5, max: 1.5 }))),
    })));
    for (let i = 0; i < views.length; i += 100) await trx.insertInto('article_view_day').values(views.slice(i, i + 100)).execute();
    await recordAudit(trx, store.dialect, { clinicId, actorId: null, actorLabel: 'autolog demo', ip: null }, {
      action: 'create', entityType: 'article_comment', detail: { synthetic: true, comments, viewDays: views.length },
    });
  });
  return { articles: ids.length, comments };
}
