/**
 * What readers read, in English: the catalog every other language follows key for key (a key
 * missing in one fails `npm run typecheck`). Write each language as a fluent reader of it would,
 * not word for word.
 *
 * A catalog is data, not code (the other languages ship as JSON beside the worker, see
 * data/catalogs.ts): `{name}` marks where a value goes, and a text that counts something has one
 * form per plural category of the language (`Intl.PluralRules`: English needs `one` and `other`,
 * Polish `few` and `many` too; `other` is the one every language has).
 */
export type PluralCategory = "zero" | "one" | "two" | "few" | "many" | "other";
export type PluralText = { other: string } & Partial<Record<PluralCategory, string>>;

const plural = (forms: PluralText): PluralText => forms;

export const en = {
  /** BCP 47 tag Intl formats this language's dates and numbers with. */
  locale: "en-US",
  skipToContent: "Skip to content",
  nav: {
    label: "Site",
    mostRead: "Most read",
    menu: "Menu",
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
    minutesRead: plural({ other: "{n} min read" }),
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
    page: "{title}, page {n}",
    tagged: "Posts tagged “{name}”",
    posts: plural({ one: "{n} post", other: "{n} posts" }),
    nothingYet: "Nothing has been published here yet.",
    pagesLabel: "Pages",
    newer: "← Newer posts",
    older: "Older posts →",
    pageOf: "Page {page} of {pages}",
  },
  reactions: {
    likes: plural({ one: "{n} like", other: "{n} likes" }),
    boosts: plural({ one: "{n} boost", other: "{n} boosts" }),
    /** "3 likes and 1 boost from the fediverse" (the parts joined as the language lists things). */
    fromFediverse: "{what} from the fediverse",
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
    /** The name a comment keeps once its author's data was erased on request. */
    formerReader: "A former reader",
    count: plural({ one: "{n} comment", other: "{n} comments" }),
    showingLatest: " (showing the latest {n})",
    readAll: "Read all {n} comments from the start",
    replyingTo: "Replying to",
    cancel: "cancel",
    name: "Your name",
    email: "Your email (optional, never shown)",
    notify: "Email me when someone replies (the first time, a mail asks you to confirm)",
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
  commentErrors: {
    nameRequired: "Please give your name.",
    nameTooLong: "Your name can be at most {n} characters.",
    bodyRequired: "Please write your comment.",
    bodyTooLong: "Your comment can be at most {n} characters.",
    emailInvalid: "Give a valid email address, such as name@example.com, or leave it empty.",
    replyGone: "The comment you were replying to is no longer here.",
    notSaved: "Comments are unavailable right now, so your comment was not saved. Your text is still here: please try again in a minute.",
  },
  /** `/posts/<slug>/comments`: every comment of a long thread. */
  commentsPage: {
    title: "Comments on “{title}”",
    intro: plural({ one: "{n} comment, oldest first.", other: "{n} comments, oldest first." }),
    later: "Later comments →",
  },
  commentEdit: {
    title: "Edit your comment",
    intro: "You can change or delete your comment for 15 minutes after posting it. Readers see “(edited)” beside it.",
    save: "Save changes",
    delete: "Delete my comment",
    cancel: "Cancel",
    closedTitle: "This comment can no longer be edited here",
    closedText: "A comment can be edited from the browser that posted it, for 15 minutes.",
    backToPost: "Back to the post",
  },
  back: {
    toPost: "← Back to “{title}”",
    home: "Back to the home page",
  },
  archive: {
    title: "Archive",
    intro: plural({ one: "{n} post, newest first.", other: "{n} posts, newest first." }),
    empty: "Nothing has been published yet.",
  },
  search: {
    title: "Search",
    titleFor: "Search: {q}",
    label: "Search the blog",
    placeholder: "Words to find",
    button: "Search",
    none: "No post matches these words.",
    matches: plural({ one: "{n} post matches.", other: "{n} posts match." }),
    tooLong: "Searches are limited to {n} characters.",
  },
  follow: {
    title: "Follow {blog}",
    intro: "Get every new article by email, in your social timeline, or in your feed reader.",
    byEmail: "By email",
    fediverseTitle: "From the fediverse (Mastodon and others)",
    fediverseText:
      "The fediverse is a network of independent social sites — Mastodon, Pixelfed, Misskey and many more — whose accounts can follow each other across sites, like email between providers. If you have an account on one of them, search there for this blog's address and follow it:",
    handleLabel: "The blog's fediverse handle",
    copy: "Copy",
    copied: "Copied",
    fediverseHint: "New articles arrive in your timeline; your replies appear here as comments.",
    feedsTitle: "Feeds",
    feedsText: "Full-text feeds of every article, for any feed reader:",
    tagFeeds: "Each tag has its own Atom feed too, at {path}.",
    /** A tag's feed, described in the feed itself. */
    tagFeed: "Posts tagged “{tag}” on {blog}",
  },
  /** The pages of the subscription's links and forms. */
  subscription: {
    emailLabel: "Your email address",
    checkInbox: "Check your inbox",
    askedAt: "You asked to follow this blog at {email}.",
    checkInboxText:
      "If this address is not subscribed yet, a confirmation link is on its way to it: open it to start receiving new articles. If it is already subscribed, nothing changes.",
    confirmTitle: "Confirm your subscription",
    confirmQuestion: "Send each new article to {email}?",
    confirmButton: "Confirm my subscription",
    subscribedTitle: "You are subscribed",
    subscribedText: "Thank you. Each new article will arrive by email; every mail has a one-click unsubscribe link.",
    unsubscribeTitle: "Unsubscribe",
    unsubscribeQuestion: "Stop sending new articles to {email}?",
    unsubscribeButton: "Unsubscribe",
    unsubscribedTitle: "You are unsubscribed",
    unsubscribedText: "No more emails will be sent to this address. You can subscribe again at any time.",
    badLink: "This link does not work",
    badConfirm:
      "The confirmation link is not valid: it has expired (links last 7 days), was already used, or a newer one was sent. Subscribe again to get a new one.",
    badUnsubscribe: "The unsubscribe link is not valid. Use the link at the bottom of one of our emails.",
  },
  errorPage: {
    notFound: "Page not found",
    wentWrong: "Something went wrong",
    didNotWork: "That request did not work",
    title: "Error",
    noBlog: "No blog at this address",
    /** "{home} or browse {archive}.": the two links' words are `homeLink` and `archiveLink`. */
    whereNext: "{home} or browse {archive}.",
    homeLink: "Go to the home page",
    archiveLink: "all posts",
    status: "Error {status}",
    reference: "Reference {id}",
  },
  /**
   * What an error says to a reader of a blog in this language, by its code (the code itself
   * stays). English says each error's own message instead (errorText), so the worker carries
   * none of these: the model other languages follow is `enErrors` below.
   */
  errors: {} as typeof enErrors,

  /** What the blog's fediverse account says of itself where its owner wrote nothing (a blog without a description). */
  actor: {
    summary: "New articles from {blog}, as they are published.",
    website: "Blog",
  },
  /** `/replies/confirm` and `/replies/stop`: reply mails' consent. */
  replies: {
    confirmTitle: "Reply notifications",
    confirmText: "Confirm that {email} should be told by mail of replies to its comments on this blog.",
    confirmButton: "Confirm",
    confirmed: "Done: you will be told of replies to your comments.",
    invalid: "This link is not valid (any more). Tick the box again when you next comment.",
    stopTitle: "Stop reply mails",
    stopThreadText: "Stop the mails to {email} about this conversation?",
    stopAllText: "Stop all reply mails to {email} from this blog?",
    stopButton: "Stop",
    stoppedThread: "Done: no more mails about this conversation.",
    stoppedAll: "Done: no more reply mails from this blog.",
  },
  mail: {
    hello: "Hello,",
    confirmSubject: "Confirm your subscription to {blog}",
    confirmAsked: "Someone, hopefully you, asked to receive new articles from {blog} at this address.",
    confirmOpen: "To confirm, open this link (valid for 7 days):",
    confirmLink: "Confirm my subscription",
    validFor7Days: "(valid for 7 days)",
    confirmIgnore: "If it was not you, ignore this mail: nothing will be sent without confirmation.",
    readIt: "Read it: {link}",
    readArticle: "Read the article",
    why: "You receive this because you subscribed to {blog}.",
    unsubscribeIn1Click: "Unsubscribe in one click: {link}",
    unsubscribe: "Unsubscribe",
    viewInBrowser: "View in your browser",
    watchVideo: "Watch the video",
    testSubject: "[Test] {subject}",
    testNote: "A test of the mail your subscribers will receive: only you got it.",
    replyConfirmSubject: "Confirm reply notifications from {blog}",
    replyConfirmAsked: "Someone, hopefully you, asked to be told by mail when someone replies to their comments on {blog}.",
    replyConfirmLink: "Confirm",
    replySubject: "{author} replied to your comment on “{post}”",
    replyIntro: "{author} replied to your comment on “{post}”:",
    replyRead: "Read and answer",
    replyWhy: "You receive this because you asked to be told of replies on {blog}.",
    stopThread: "Stop mails about this conversation",
    stopAll: "Stop all reply mails from {blog}",
  },
};

/** The errors' general words in English: the model of the other catalogs' `errors` (see `errors` above). */
export const enErrors = {
  not_found: "There is nothing at this address.",
  blog_not_found: "There is no blog at this address (yet).",
  method_not_allowed: "This address does not accept this kind of request.",
  rate_limited: "Too many requests from your address. Please wait a minute and try again.",
  payload_too_large: "What was sent is too large.",
  unsupported_media_type: "What was sent is not in a format this address accepts.",
  internal_error: "Something went wrong on our side. Please try again.",
  unavailable: "This is unavailable right now. Please try again in a minute.",
  invalid_email: "Give a valid email address, such as name@example.com.",
  invalid_query: "Give the words to search for.",
  bad_request: "This request is not valid.",
  invalid_json: "This request is not valid JSON.",
  unauthorized: "You need to sign in for this.",
  forbidden: "You are not allowed to do this.",
  bad_csrf_token: "This form has expired. Go back, reload the page and try again.",
  cross_site_request: "This form was sent from another site, so it was refused.",
  upgrade_required: "Connect with a WebSocket client.",
};

export type Messages = typeof en;
