import * as React from "react";
import { Stack, Text } from "@fluentui/react";

export interface BoardLane {
  key: string;
  label: string;
  cards: { id: string; name: string }[];
}

export interface BoardProps {
  lanes: BoardLane[];
  loading: boolean;
  loadingMessage: string;
  emptyMessage: string;
}

export const Board: React.FC<BoardProps> = ({ lanes, loading, loadingMessage, emptyMessage }) => {
  if (loading) return <Text>{loadingMessage}</Text>;
  if (lanes.length === 0) return <Text>{emptyMessage}</Text>;
  return (
    <Stack horizontal tokens={{ childrenGap: 8 }}>
      {lanes.map((lane) => (
        <Stack key={lane.key} role="list" aria-label={lane.label} tokens={{ childrenGap: 4 }}>
          <Text as="h3" variant="medium">{`${lane.label} (${lane.cards.length})`}</Text>
          {lane.cards.map((card) => (
            <Text key={card.id} role="listitem">{card.name}</Text>
          ))}
        </Stack>
      ))}
    </Stack>
  );
};
