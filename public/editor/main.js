// @ts-check
/* The post editor's enhancements, one module per behaviour; the form works without them
   (server-side Preview, plain fields). Loaded as a module on editor pages only. */
import { autosave } from "./autosave.js";
import { editorContext } from "./context.js";
import { acceptImages, images } from "./images.js";
import { writingModes } from "./modes.js";
import { livePreview } from "./preview.js";
import { followTitle } from "./slug.js";
import { completeTags } from "./tags.js";
import { toolbar } from "./toolbar.js";

var ed = editorContext();
if (ed) {
  followTitle(ed);
  var img = images(ed);
  toolbar(ed, img.insertChosen);
  var refresh = livePreview(ed);
  acceptImages(ed, img);
  completeTags(ed);
  var modes = writingModes(ed, img);
  autosave(ed, () => {
    refresh();
    modes.reload();
  });
}
