/**
 * The kinds of story `explain --pick` and a scenario's `story:` can ask for (report/story-pick.ts finds
 * the message): here, beside the model, because the scenario schema and the model name them too.
 */
export const STORY_PICKS = ["via-secondary", "sender-retry", "bounce", "backscatter", "flushed", "greylisted", "slowest"] as const;
export type StoryPick = (typeof STORY_PICKS)[number];
