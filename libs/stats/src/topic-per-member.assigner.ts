import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/**
 * Gives every partition of a topic to the same group member (topics spread round-robin over
 * the members), so one aggregator instance sees all of a customer's lines and its windows are
 * whole: no partial per-partition windows to merge across instances.
 */
export const topicPerMemberAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'LogstreamTopicPerMember',
  version: 1,
  assign({ members, topics }) {
    const memberIds = members.map((m) => m.memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>();
    [...topics].sort().forEach((topic, i) => {
      const member = memberIds[i % memberIds.length];
      const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
      const mine = assignment.get(member) ?? {};
      mine[topic] = partitions.sort((a, b) => a - b);
      assignment.set(member, mine);
    });
    return Promise.resolve(
      memberIds.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: assignment.get(memberId) ?? {},
          userData: Buffer.alloc(0),
        }),
      })),
    );
  },
  protocol({ topics }) {
    return {
      name: 'LogstreamTopicPerMember',
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});
