import { Icon } from './Icon';

/** The quiet "Edit" and "Delete" buttons at the side of one item of a list (an FAQ, a saved reply). */
export function EditDeleteButtons(props: {
  onEdit: () => void;
  onDelete: () => void;
  /** The delete button's name when "Delete" alone does not say what goes. */
  deleteLabel?: string;
}) {
  return (
    <>
      <button className="button button--ghost button--small" type="button" onClick={props.onEdit}>
        <Icon name="edit" size={16} /> Edit
      </button>
      <button
        className="button button--ghost button--small"
        type="button"
        {...(props.deleteLabel !== undefined && { 'aria-label': props.deleteLabel })}
        onClick={props.onDelete}
      >
        <Icon name="trash" size={16} /> Delete
      </button>
    </>
  );
}
