import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COVER_LIMITS, removeArticleCover, setArticleCover } from '../../services/article-covers.js';
import { getArticle } from '../../services/articles.js';
import type { Services } from '../../services/context.js';
import { ServiceError, invalid } from '../../services/errors.js';
import { actorOf } from '../access.js';
import { IdParams } from '../schemas.js';
import { ArticleSchema } from './education-schemas.js';

/**
 * The cover image of an article: the one multipart route of the API. The multipart parser is
 * registered inside this plugin only, so every other route keeps accepting JSON alone. A
 * cross-site HTML form could post multipart, but not the X-CSRF-Token header every write needs.
 */
export const educationCoverRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const limits = { fileSize: COVER_LIMITS.bytes, files: 1, fields: 2, fieldSize: 4 * COVER_LIMITS.altChars, parts: 3 };
  await app.register(multipart, { limits });
  const megabytes = COVER_LIMITS.bytes / (1024 * 1024);

  app.put('/api/v1/articles/:id/cover', {
    config: { access: 'article:write' },
    schema: {
      tags: ['articles'],
      summary: `Set the cover image: multipart/form-data with \`alt\` (required text) and \`image\` (a JPEG, PNG or WebP file up to ${megabytes} MB). Without \`image\`, changes only the alt text.`,
      description: 'The picture is cropped to 1.91:1 and saved at up to three widths as WebP and JPEG. A file that does not decode as a picture is refused naming `image`, and nothing is saved.',
      consumes: ['multipart/form-data'],
      params: IdParams,
      response: { 200: ArticleSchema },
    },
  }, async (request) => {
    const actor = actorOf(request);
    if (!request.isMultipart()) {
      // Existence first, so another clinic's id answers 404 whatever the body.
      await getArticle(services, actor, request.params.id);
      throw invalid('image', 'Send the cover as multipart/form-data with the fields `alt` and `image`.');
    }
    let image: Buffer | undefined;
    let alt: string | undefined;
    try {
      for await (const part of request.parts({ limits })) {
        if (part.type === 'file') {
          if (part.fieldname !== 'image') throw invalid(part.fieldname, `Unknown file field "${part.fieldname}": send the picture as "image".`);
          image = await part.toBuffer();
        } else if (part.fieldname === 'alt') {
          alt = String(part.value);
        } else {
          throw invalid(part.fieldname, `"${part.fieldname}" is not a known field; send \`alt\` and \`image\`.`);
        }
      }
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw invalid('image', `The picture is larger than ${megabytes} MB. Save it smaller (a cover is shown at most 1200 pixels wide) and upload it again.`);
      if (code === 'FST_FILES_LIMIT') throw invalid('image', 'Send one picture only.');
      if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw invalid('alt', 'Send only the fields `alt` and `image`.');
      throw error;
    }
    return setArticleCover(services, actor, request.params.id, { image, alt });
  });

  app.delete('/api/v1/articles/:id/cover', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'Remove the cover image (its files are deleted)', params: IdParams, response: { 200: ArticleSchema } },
  }, async (request) => removeArticleCover(services, actorOf(request), request.params.id));
};
