/**
 * What readers read, in English: the catalog every other language follows key for key (a key
 * missing in one fails `npm run typecheck`). Write each language as a fluent reader of it would,
 * not word for word. Counts come as numbers already written for the language (`Intl`), with
 * the plural category `one` or `other` (`Intl.PluralRules`).
 */
export type Plural = "zero" | "one" | "two" | "few" | "many" | "other";

export const en = {
  /** BCP 47 tag Intl formats this language's dates and numbers with. */
  locale: "en-US",
  skipToContent: "Skip to content",
  nav: {
    label: "Site",
    home: "Home",
    archive: "Archive",
    search: "Search",
    follow: "Follow this blog",
    administration: "Administration",
    subscribe: "Subscribe",
  },
  footer: {
    label: "More",
    atom: "Atom feed",
    rss: "RSS",
    allPosts: "All posts",
    createBlog: "+ Create my blog",
  },
  post: {
    /** "Posted on <date> by <author>" */
    postedOn: "Posted on",
    by: "by",
    updatedOn: "Updated on",
    minutesRead: (n: string, _p: Plural) => `${n} min read`,
    editPost: "Edit post",
    contents: "Contents",
    tags: "Tags",
    morePosts: "More posts",
    previous: "← Previous post",
    next: "Next post →",
  },
  listing: {
    latestPosts: "Latest posts",
    /** A listing's later page, in the page title: "Latest posts, page 2". */
    page: (title: string, n: string) => `${title}, page ${n}`,
    tagged: (name: string) => `Posts tagged “${name}”`,
    posts: (n: string, p: Plural) => `${n} ${p === "one" ? "post" : "posts"}`,
    nothingYet: "Nothing has been published here yet.",
    pagesLabel: "Pages",
    newer: "← Newer posts",
    older: "Older posts →",
    pageOf: (page: string, pages: string) => `Page ${page} of ${pages}`,
  },
  reactions: {
    likes: (n: string, p: Plural) => `${n} ${p === "one" ? "like" : "likes"}`,
    boosts: (n: string, p: Plural) => `${n} ${p === "one" ? "boost" : "boosts"}`,
    /** "3 likes and 1 boost from the fediverse" (the parts joined as the language lists things). */
    fromFediverse: (what: string) => `${what} from the fediverse`,
  },
  subscribe: {
    heading: "Follow this blog",
    label: "To be informed of the latest articles, subscribe:",
    button: "Subscribe",
    hint: "One email per new article. Confirm from the link we send; unsubscribe in one click.",
  },
  comments: {
    title: "Comment on this post",
    unavailable: "Comments are unavailable right now. The post is here; please try commenting again in a minute.",
    none: "No comments yet.",
    count: (n: string, p: Plural) => `${n} ${p === "one" ? "comment" : "comments"}`,
    showingLatest: (n: string) => ` (showing the latest ${n})`,
    readAll: (n: string) => `Read all ${n} comments from the start`,
    replyingTo: "Replying to",
    cancel: "cancel",
    name: "Your name",
    email: "Your email (optional, never shown)",
    leaveEmpty: "Leave this empty",
    body: "Your comment",
    hint: "Markdown: *emphasis*, **bold**, `code`, [links](https://…), > quotes and lists.",
    submit: "Post comment",
    reply: "Reply",
    edit: "Edit",
    edited: " (edited)",
    posted: "Thank you: your comment is published. You can edit or delete it for 15 minutes.",
    removed: "This comment was removed.",
    held: "Thank you. Your comment is waiting for moderation and will appear once approved.",
  },
};

export type Messages = typeof en;
