// A paginated API list ({results, next}, as the REST framework pages it) read one page per call:
// the run history panel and the terminal's older runs both walk GET /api/sessions/<id>/runs/.
import { api } from './api.js';

/**
 * @param {string} firstUrl  the list's first page
 * @returns {{next: () => Promise<object[] | null>, done: () => boolean}}
 *   next(): the following page's results (null once every page was read); done(): none left.
 */
export function pageWalker(firstUrl) {
  let url = firstUrl;
  return {
    async next() {
      if (!url) return null;
      const page = await api(url);
      url = page.next || null;
      return page.results || [];
    },
    done: () => !url,
  };
}
