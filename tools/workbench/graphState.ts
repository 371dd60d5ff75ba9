/**
 * What the flows made in Teams, as the flows page shows it: a team (members, channels with their tabs and messages)
 * and a chat (topic, members, messages), read from the Microsoft Graph stand-in's in-memory state. The stand-in keeps
 * a message's body but not its attachments, so each message's attachments (the deal card) come from the request that
 * posted it: the stand-in's accepted requests to that chat or channel, in the order the messages were created.
 */
import type { AcceptedRequest, GraphStandIn } from "../connector/graphStandIn";

export interface MadeMessage {
  readonly id: string;
  readonly createdDateTime: string;
  readonly contentType: string;
  readonly content: string;
  readonly attachments: readonly { readonly id: string; readonly contentType: string; readonly content: string }[];
}

export interface MadeMember {
  readonly displayName: string;
  readonly roles: readonly string[];
}

export interface MadeTeam {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly webUrl: string;
  readonly members: readonly MadeMember[];
  readonly channels: readonly {
    readonly displayName: string;
    readonly description: string | null;
    readonly general: boolean;
    readonly tabs: readonly { readonly displayName: string; readonly webUrl: string }[];
    readonly messages: readonly MadeMessage[];
  }[];
}

export interface MadeChat {
  readonly id: string;
  readonly topic: string | null;
  readonly chatType: string;
  readonly webUrl: string;
  readonly members: readonly MadeMember[];
  readonly messages: readonly MadeMessage[];
}

export interface MadeInTeams {
  readonly team?: MadeTeam;
  readonly chat?: MadeChat;
}

type StandInView = Pick<GraphStandIn, "team" | "chat" | "users" | "accepted">;

function members(standIn: StandInView, map: ReadonlyMap<string, string[]>): MadeMember[] {
  return [...map].map(([id, roles]) => ({ displayName: standIn.users.find((u) => u.id === id)?.displayName ?? id, roles: [...roles] }));
}

function attachmentsOf(request: AcceptedRequest | undefined): MadeMessage["attachments"] {
  const list = (request?.body as { attachments?: unknown } | undefined)?.attachments;
  if (!Array.isArray(list)) return [];
  return list.map((a: { id?: unknown; contentType?: unknown; content?: unknown }) => ({
    id: typeof a.id === "string" ? a.id : "",
    contentType: typeof a.contentType === "string" ? a.contentType : "",
    content: typeof a.content === "string" ? a.content : "",
  }));
}

function messages(standIn: StandInView, all: Iterable<{ id: string; createdDateTime: string; body: { contentType: string; content: string } }>, postPath: string): MadeMessage[] {
  const posts = standIn.accepted.filter((r) => r.method === "POST" && decodeURIComponent(r.path).endsWith(postPath));
  return [...all].map((m, i) => ({ id: m.id, createdDateTime: m.createdDateTime, contentType: m.body.contentType, content: m.body.content, attachments: attachmentsOf(posts[i]) }));
}

export function madeInTeams(standIn: StandInView, ids: { team?: string; chat?: string }): MadeInTeams {
  const team = ids.team === undefined ? undefined : standIn.team(ids.team);
  const chat = ids.chat === undefined ? undefined : standIn.chat(ids.chat);
  return {
    ...(team !== undefined && {
      team: {
        id: team.id,
        displayName: team.displayName,
        description: team.description,
        webUrl: team.webUrl,
        members: members(standIn, team.members),
        channels: [...team.channels.values()]
          .map((c) => ({
            displayName: c.displayName,
            description: c.description,
            general: c.id === team.primaryChannelId,
            tabs: c.tabs.map((t) => ({ displayName: t.displayName, webUrl: t.webUrl })),
            messages: messages(standIn, c.messages.values(), `/teams/${team.id}/channels/${c.id}/messages`),
          }))
          .sort((a, b) => Number(b.general) - Number(a.general)),
      },
    }),
    ...(chat !== undefined && {
      chat: { id: chat.id, topic: chat.topic, chatType: chat.chatType, webUrl: chat.webUrl, members: members(standIn, chat.members), messages: messages(standIn, chat.messages.values(), `/chats/${chat.id}/messages`) },
    }),
  };
}
