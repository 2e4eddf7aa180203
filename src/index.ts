import app from "./app";

export { CommentThread } from "./durable/comment-thread";
export default app;
